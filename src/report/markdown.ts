/**
 * Markdown with KaTeX math for notebook prose, captions and titles: markdown-it (CommonMark plus
 * GitHub tables and strikethrough; nested lists, block quotes, code blocks) with two math rules
 * wired in by hand (no maintained markdown-it KaTeX plugin is installed): inline `$…$` /
 * `$$…$$` and a display block of lines between `$$` fences. Math is tokenised before emphasis,
 * so `$a*b*c$` stays TeX; `\$` is a literal dollar (markdown-it's escape rule); an unclosed `$`
 * is an error, as in splitMath (it would print raw TeX). Raw HTML is escaped, never passed on.
 */
import markdownIt, { type MarkdownIt, type StateBlock, type StateInline, type Token } from 'markdown-it';
import { escapeHtml } from '../figures/html.ts';
import { renderTeX, TexError } from './tex.ts';

/** Where the prose comes from (a notebook, a claim), for TeX error messages. */
interface Env { where: string }
const whereOf = (env: unknown): string => (env as Partial<Env> | undefined)?.where ?? 'text';

/** Index of the `$` (or `$$`) that closes math opened at `start`, skipping `\`-escapes; -1 if none. */
function closingDollar(src: string, start: number, display: boolean, end = src.length): number {
  for (let j = start; j < end; j++) {
    if (src[j] === '\\') { j++; continue; }
    if (src[j] === '$' && (!display || src[j + 1] === '$')) return j;
  }
  return -1;
}

function mathInline(state: StateInline, silent: boolean): boolean {
  const { src, pos, posMax } = state;
  if (src[pos] !== '$') return false;
  const display = src[pos + 1] === '$';
  const open = display ? 2 : 1;
  const close = closingDollar(src, pos + open, display, posMax);
  if (close < 0) throw new TexError(`${whereOf(state.env)}: unclosed ${display ? '$$' : '$'} in ${JSON.stringify(src.slice(pos, pos + 40))}`);
  if (!silent) {
    const t = state.push('math_inline', 'math', 0);
    t.content = src.slice(pos + open, close);
    t.markup = display ? '$$' : '$';
  }
  state.pos = close + open;
  return true;
}

/** `$$` on its own line opens display math closed by a line ending in `$$` (also `$$ … $$` on one line). */
function mathBlock(state: StateBlock, startLine: number, endLine: number, silent: boolean): boolean {
  const lineText = (l: number) => state.src.slice(state.bMarks[l]! + state.tShift[l]!, state.eMarks[l]);
  const first = lineText(startLine);
  if (!first.startsWith('$$') || state.sCount[startLine]! - state.blkIndent >= 4) return false;
  let content = first.slice(2);
  let line = startLine;
  if (content.trimEnd().endsWith('$$') && content.trim().length >= 2) {
    content = content.trimEnd().slice(0, -2);
    // only a block when nothing but the formula is on the line
  } else {
    const parts = [content];
    for (line = startLine + 1; line < endLine; line++) {
      const t = lineText(line);
      if (t.trimEnd().endsWith('$$')) { parts.push(t.trimEnd().slice(0, -2)); break; }
      parts.push(t);
    }
    if (line >= endLine) throw new TexError(`${whereOf(state.env)}: unclosed $$ in ${JSON.stringify(first.slice(0, 40))}`);
    content = parts.join('\n');
  }
  if (silent) return true;
  const tok = state.push('math_block', 'math', 0);
  tok.block = true;
  tok.content = content.trim();
  tok.map = [startLine, line + 1];
  state.line = line + 1;
  return true;
}

let md: MarkdownIt | undefined;
/** The configured renderer (built once). */
function markdown(): MarkdownIt {
  if (md) return md;
  md = markdownIt({ html: false, linkify: false, typographer: false });
  md.inline.ruler.before('escape', 'math_inline', mathInline);
  md.block.ruler.before('fence', 'math_block', mathBlock, { alt: ['paragraph', 'reference', 'blockquote', 'list'] });
  md.renderer.rules['math_inline'] = (tokens: Token[], i: number, _o: unknown, env: unknown) => renderTeX(tokens[i]!.content, tokens[i]!.markup === '$$', whereOf(env));
  md.renderer.rules['math_block'] = (tokens: Token[], i: number, _o: unknown, env: unknown) => `<div class="math">${renderTeX(tokens[i]!.content, true, whereOf(env))}</div>\n`;
  // prose headings sit under the page's own h1/h2: `#` is h3
  const heading = (open: boolean) => (tokens: Token[], i: number) => {
    const level = Math.min(6, Number(tokens[i]!.tag.slice(1)) + 2);
    return open ? `<h${level}>` : `</h${level}>\n`;
  };
  md.renderer.rules['heading_open'] = heading(true);
  md.renderer.rules['heading_close'] = heading(false);
  return md;
}

/** One line of prose with math (titles, captions, table cells): no paragraph around it. */
export function renderInline(s: string, where = 'text'): string {
  return markdown().renderInline(s, { where } satisfies Env);
}

/** `renderInline`, but bad TeX shows as marked raw text instead of throwing (titles, summaries). */
export function renderInlineSafe(s: string, where = 'text'): string {
  try {
    return renderInline(s, where);
  } catch (e) {
    return `${escapeHtml(s)} <span class="error">(${escapeHtml((e as Error).message)})</span>`;
  }
}

/** A Markdown block (paragraphs, nested lists, tables, quotes, display math) to HTML. */
export function renderProse(text: string, where = 'text'): string {
  return markdown().render(text.replace(/\r\n/g, '\n'), { where } satisfies Env).trimEnd();
}
