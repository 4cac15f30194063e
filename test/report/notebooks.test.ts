/**
 * Every notebook registered in notebooks/index.ts runs in quick mode without error, and every
 * TeX string it records (display, inline in prose, tables, captions) parses in KaTeX: checked
 * here independently of the runtime check in NotebookContext.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import katex from 'katex';
import { notebooks } from '../../notebooks/index.ts';
import { runNotebook, type NotebookRecord } from '../../src/report/notebook.ts';
import { splitMath } from '../../src/report/tex.ts';
import { prepareFigures } from '../../src/figures/export.ts';

/** Every TeX string of a record, with where it came from. */
function texStrings(rec: NotebookRecord): { tex: string; display: boolean; where: string }[] {
  const out: { tex: string; display: boolean; where: string }[] = [];
  const prose = (s: string, where: string) => { for (const p of splitMath(s, where)) if (p.kind === 'math') out.push({ tex: p.tex, display: p.display, where }); };
  prose(rec.title, 'title');
  prose(rec.summary, 'summary');
  rec.blocks.forEach((b, i) => {
    const where = `block ${i} (${b.kind})`;
    if (b.kind === 'tex') out.push({ tex: b.tex, display: true, where });
    else if (b.kind === 'text') prose(b.markdown, where);
    else if (b.kind === 'section') prose(b.title, where);
    else if (b.kind === 'table') [...b.header, ...b.rows.flat(), b.caption ?? ''].forEach((c) => typeof c === 'string' && prose(c, where));
    else if (b.kind === 'figure' && b.caption) prose(b.caption, where);
  });
  return out;
}

for (const nb of notebooks) {
  test(`notebook ${nb.name}: runs in quick mode; KaTeX parses all its TeX; its figures build`, async () => {
    const rec = await runNotebook(nb, { mode: 'quick', seed: 1, log: () => {} });
    assert.is(rec.error, undefined, `notebook failed: ${rec.error}`);
    assert.ok(rec.blocks.length > 0, 'it recorded something');
    const bad = texStrings(rec).flatMap(({ tex, display, where }) => {
      try { katex.renderToString(tex, { throwOnError: true, displayMode: display }); return []; } catch (e) { return [`${where}: ${tex}: ${(e as Error).message}`]; }
    });
    assert.equal(bad, [], bad.join('\n'));
    assert.is(prepareFigures(rec.figures.map((f, i) => ({ ...f, id: `f${i}` }))).length, rec.figures.length);
  });
}

test('notebook names are unique', () => {
  const names = notebooks.map((n) => n.name);
  assert.is(new Set(names).size, names.length);
});

test.run();
