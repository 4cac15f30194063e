/**
 * KaTeX parses every TeX string the project puts in a page: claim statements (the report's
 * claims table), notebook titles and summaries. (Notebook bodies are checked as they run:
 * `nb.tex`/`nb.text` throw on a ParseError and fail the notebook; see notebook.test.ts.)
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allClaims, claimKey } from '../../src/claims/index.ts';
import { notebooks } from '../../notebooks/index.ts';
import { checkTeX, splitMath } from '../../src/report/tex.ts';

/** The project's own check (KaTeX parse + lost-escape guard): undefined, or why it fails. */
const parses = (tex: string, display: boolean): string | undefined => {
  try { checkTeX(tex, 'test', display); return undefined; } catch (e) { return (e as Error).message; }
};

test('every claim statement parses in KaTeX', () => {
  const bad = allClaims().map((c) => [claimKey(c), parses(c.statement, true)] as const).filter(([, e]) => e);
  assert.equal(bad, [], bad.map(([k, e]) => `${k}: ${e}`).join('\n'));
});

test('every notebook title and summary: inline math parses', () => {
  for (const nb of notebooks) {
    for (const s of [nb.title, nb.summary]) {
      for (const p of splitMath(s, nb.name)) if (p.kind === 'math') assert.is(parses(p.tex, p.display), undefined, `${nb.name}: ${p.tex}`);
    }
  }
});

test('the check itself rejects bad TeX', () => {
  assert.ok(parses('\\frac{1}{', true));
  assert.ok(parses('\\notacommand x', true));
  assert.is(parses('\\dot x = f(x)', true), undefined);
});

test('the check rejects TeX that lost its backslashes in a plain JS string (KaTeX alone accepts it)', () => {
  // '\theta \text{a}' written without doubling: TAB + "heta", TAB + "ext{a}".
  assert.match(parses('\theta \text{ on a grid}', true) ?? '', /lost a backslash/);
  assert.match(parses('h\,mathrm{Lip}(f) < 1', true) ?? '', /bare 'mathrm\{'/);
  assert.is(parses(String.raw`\theta \text{ on a grid},\ h\,\mathrm{Lip}(f) < 1,\ \left\{ x \right\}`, true), undefined);
});

test.run();
