/** The machine-checked derivations of proofs/: every step and its verdict. */
import { relative } from 'node:path';
import { checkProofFile } from '../src/proofs/check.ts';
import { defaultProofFiles, PROOFS_DIR } from '../src/proofs/files.ts';
import { readProofFile } from '../src/proofs/parse.ts';
import { defineNotebook } from '../src/report/notebook.ts';

export default defineNotebook({
  name: 'proofs',
  title: 'Machine-checked derivations',
  summary: 'Every step of the Markdown derivations in proofs/ checked by two CAS routes and seeded numerics: proved, refuted (with a counterexample) or unknown.',
  run(nb) {
    nb.text('Each file in `proofs/` is Markdown with fenced `derivation` blocks: declared symbols with their domains, then a chain of steps `= expression` or `= expression + O(eps^k)`. An exact step is proved when the expanded difference is 0 by nerdamer and by algebrite and a seeded numeric evaluation agrees; an $O(\\varepsilon^k)$ step when the Taylor coefficients of the difference vanish below order $k$ and the difference falls like $\\varepsilon^k$ over a ladder; an inequality $\\le$ when a certificate that is manifestly nonnegative equals the gap; a step with a sum $\\sum_{k=0}^{m-1}$ of symbolic length by induction on $m$ (the base written out, and the step $m \\to m+1$ by both routes). What a file leaves to prose (Grönwall, integrating a differential inequality) it says at the place. A refuted or unknown step fails the file (and the test suite).');
    const rows: (string | number)[][] = [];
    let proved = 0, total = 0;
    for (const path of defaultProofFiles()) {
      const r = checkProofFile(readProofFile(path), { seed: nb.seed });
      nb.log(`${relative(PROOFS_DIR, path)}: ${r.proved}/${r.steps.length} steps proved`);
      proved += r.proved;
      total += r.steps.length;
      const cites = [...new Set(r.steps.flatMap((s) => s.cites))].sort().join(', ');
      rows.push([relative(PROOFS_DIR, path), r.title, cites, `${r.proved}/${r.steps.length}`, r.ok ? 'pass' : 'FAIL']);
    }
    nb.table(['file', 'title', 'claims', 'steps proved', 'verdict'], rows, 'Verdicts per proof file (`depthlimit proofs` prints every step).');
    nb.result('steps', { proved, total });
    if (proved !== total) throw new Error(`${total - proved} proof step(s) not proved: run depthlimit proofs`);
  },
});
