import { relative } from 'node:path';
import type { FileResult } from '../proofs/check.ts';
import { table } from '../util/format.ts';
import { DEFAULT_SEED } from '../util/prng.ts';
import { seedOf } from './args.ts';
import { flag, str, type CommandSpec } from './spec.ts';

const display = (p: string) => {
  const r = relative(process.cwd(), p);
  return r.startsWith('..') ? p : r;
};

export const command: CommandSpec = {
  name: 'proofs',
  summary: 'check every step of the Markdown derivations in proofs/ (proved / refuted / unknown)',
  usage: 'proofs [FILE.md …] [--seed N] [--json]',
  options: {
    seed: { type: 'string', description: 'PRNG seed for the random test points', default: String(DEFAULT_SEED) },
  },
  examples: ['proofs', 'proofs proofs/continuum-limit.md', 'proofs --json'],
  positionals: 'any',
  async run(opts, positionals) {
    const seed = seedOf(str(opts, 'seed'));
    const [{ default: cliProgress }, { checkPrepared, prepareProofFile }, { readProofFile }, { defaultProofFiles }] = await Promise.all([
      import('cli-progress'), import('../proofs/check.ts'), import('../proofs/parse.ts'), import('../proofs/files.ts'),
    ]);
    const files = positionals.length ? positionals : defaultProofFiles();
    // Parse and expand everything first: bad input exits 2 before any checking is printed.
    const prepared = files.map((f) => prepareProofFile({ ...readProofFile(f), path: display(f) }, { seed }));
    const results: FileResult[] = [];
    // Progress per derivation block: a bar on a terminal, plain lines otherwise (CI logs).
    const total = prepared.reduce((n, p) => n + p.blocks.length, 0);
    let done = 0;
    const bar = process.stderr.isTTY
      ? new cliProgress.SingleBar({ format: 'proofs [{bar}] {value}/{total} {label}', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic)
      : undefined;
    bar?.start(total, 0, { label: '' });
    const onBlock = (file: string, block: string) => {
      done++;
      if (bar) bar.update(done, { label: `${file} ${block}` });
      else process.stderr.write(`[proofs ${done}/${total}] ${file}: block ${block}\n`);
    };
    try {
      for (const p of prepared) results.push(checkPrepared(p, { seed, onBlock }));
    } finally {
      bar?.stop();
    }
    const all = results.flatMap((r) => r.steps);
    const bad = all.filter((s) => s.verdict !== 'proved');
    if (flag(opts, 'json')) {
      console.log(JSON.stringify({
        seed, ok: bad.length === 0,
        // No timings in the results: the same command prints the same bytes.
        files: results.map((r) => ({
          path: r.path, title: r.title, ok: r.ok, proved: r.proved, refuted: r.refuted, unknown: r.unknown, steps: r.steps,
        })),
      }, null, 2));
    } else {
      const rel = (s: (typeof all)[number]) => (s.order ? `= +O(${s.order.variable}^${s.order.power})` : s.relation);
      console.log(table(
        ['file', 'block', 'step', 'line', 'relation', 'verdict', 'cites'],
        all.map((s) => [s.file, s.block, String(s.step), String(s.line), rel(s), s.verdict, s.cites.join(',')]),
      ));
      for (const s of bad) console.log(`${s.file}:${s.line}: block ${s.block}, step ${s.step}: ${s.verdict}: ${s.detail}`);
      const files = results.filter((r) => r.ok).length;
      console.log(`${all.length - bad.length}/${all.length} steps proved; ${files}/${results.length} files pass`);
    }
    return bad.length ? 1 : 0;
  },
};
