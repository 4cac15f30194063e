/**
 * TeX on the server: KaTeX renders display and inline math to HTML (≈1 ms per equation), and
 * its ParseError is the project's check that every TeX string it produces is valid.
 */
import type Katex from 'katex';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { lazyRequire } from '../util/lazy.ts';
import { TextMemo } from '../util/memo.ts';

const require = createRequire(import.meta.url);
/** KaTeX, loaded on the first render. */
const katex = lazyRequire<typeof Katex>('katex');

/** A TeX string KaTeX cannot parse; `where` says which notebook/claim/figure produced it. */
export class TexError extends Error {
  override name = 'TexError';
}

/**
 * TeX written in a plain JS string loses its backslashes ('\theta' is TAB + "heta", '\mathrm'
 * is "mathrm") and KaTeX still parses the result, silently printing the wrong formula. Reject
 * both symptoms: control characters other than newline, and a brace-taking macro name with no
 * backslash before it.
 */
const LOST_ESCAPE = /[\u0000-\u0009\u000b-\u001f]/;
const BARE_MACRO = /(?<![\\A-Za-z])(text|mathrm|mathbb|mathcal|mathbf|operatorname|frac|sqrt|big|Big|left|right)\{/;

/**
 * Each TeX string's HTML, rendered once per process: the same equations recur (a notebook's
 * page and the report render the same blocks; `npm start`'s main thread asked for 958
 * renders of 447 distinct strings). KaTeX's output depends on nothing but the string and the
 * mode; a string that fails is not kept, so it throws with its own `where` every time. Bounded
 * (TextMemo), as a long-lived library process may render without end.
 */
const rendered = new TextMemo();

/** KaTeX HTML for `tex`; throws TexError naming `where` on a parse error or a lost escape. */
export function renderTeX(tex: string, display: boolean, where = 'TeX'): string {
  return rendered.get(`${display ? 'd' : 'i'}${tex}`, () => renderOnce(tex, display, where));
}

function renderOnce(tex: string, display: boolean, where: string): string {
  const bare = BARE_MACRO.exec(tex);
  if (LOST_ESCAPE.test(tex) || bare) {
    throw new TexError(`${where}: TeX ${JSON.stringify(tex)} has lost a backslash (${bare ? `bare '${bare[1]}{'` : 'a control character'}): write it as String.raw\`...\` or with \\\\`);
  }
  try {
    // strict 'ignore': unicode-in-math warnings are not errors; a ParseError still throws.
    // Display math is set as \displaystyle in KaTeX's inline mode: inline math breaks after a
    // top-level relation or operator, display mode never does (a long equation then needed a
    // horizontal scroll box). The span centres it on its own line (PAGE_CSS .math-display).
    const html = katex().renderToString(display ? `\\displaystyle ${tex}` : tex, { displayMode: false, throwOnError: true, output: 'htmlAndMathml', strict: 'ignore' });
    return display ? `<span class="math-display">${html}</span>` : html;
  } catch (e) {
    throw new TexError(`${where}: KaTeX cannot parse ${JSON.stringify(tex)}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Throw TexError unless KaTeX parses `tex`. */
export function checkTeX(tex: string, where = 'TeX', display = true): void {
  renderTeX(tex, display, where);
}

export type MathPiece = { kind: 'text'; text: string } | { kind: 'math'; tex: string; display: boolean };

/**
 * Split prose into text and math: `$$…$$` display, `$…$` inline; `\$` is a literal dollar.
 * An unclosed `$` is an error (it would silently print raw TeX).
 */
export function splitMath(s: string, where = 'text'): MathPiece[] {
  const out: MathPiece[] = [];
  let text = '';
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '\\' && s[i + 1] === '$') { text += '$'; i += 2; continue; }
    if (ch !== '$') { text += ch; i++; continue; }
    const display = s[i + 1] === '$';
    const open = display ? 2 : 1;
    let j = i + open;
    for (; j < s.length; j++) {
      if (s[j] === '\\') { j++; continue; }
      if (s[j] === '$' && (!display || s[j + 1] === '$')) break;
    }
    if (j >= s.length) throw new TexError(`${where}: unclosed ${display ? '$$' : '$'} in ${JSON.stringify(s.slice(i, i + 40))}`);
    if (text) out.push({ kind: 'text', text });
    text = '';
    out.push({ kind: 'math', tex: s.slice(i + open, j), display });
    i = j + open;
  }
  if (text) out.push({ kind: 'text', text });
  return out;
}

/** Every TeX fragment in prose, checked by KaTeX. */
export function checkProseMath(s: string, where = 'text'): void {
  for (const p of splitMath(s, where)) if (p.kind === 'math') checkTeX(p.tex, where, p.display);
}

let css: string | undefined;
/**
 * katex.min.css with its woff2 fonts inlined as data URLs (woff/ttf fallbacks dropped): a
 * page that carries it needs no other file (≈ 380 KB).
 */
export function katexStylesheet(): string {
  if (css) return css;
  const dist = join(dirname(require.resolve('katex')), '');
  const raw = readFileSync(join(dist, 'katex.min.css'), 'utf8');
  css = raw.replace(/src:([^;}]*)/g, (_m, list: string) => {
    const woff2 = /url\((fonts\/[^)]+\.woff2)\)/.exec(list);
    if (!woff2) return `src:${list}`;
    const b64 = readFileSync(join(dist, woff2[1]!)).toString('base64');
    return `src:url(data:font/woff2;base64,${b64}) format("woff2")`;
  });
  return css;
}
