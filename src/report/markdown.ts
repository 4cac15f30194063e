/**
 * The Markdown subset notebooks write, rendered to HTML with KaTeX math: paragraphs, `-`/`*`
 * and `1.` lists, `#` headings, **bold**, *emphasis*, `code`, [links](url), inline `$…$` and
 * display `$$…$$`. Math is cut out first, so Markdown never touches TeX.
 */
import { escapeHtml } from '../figures/html.ts';
import { renderTeX, splitMath } from './tex.ts';

/** Inline Markdown on text that contains no math. */
function inlineMd(text: string): string {
  const parts = text.split(/(`[^`]+`)/g);
  return parts.map((p) => {
    if (/^`[^`]+`$/.test(p)) return `<code>${escapeHtml(p.slice(1, -1))}</code>`;
    return escapeHtml(p)
      .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, (_m, t: string, u: string) => `<a href="${u}">${t}</a>`)
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/(^|[^*\w])\*([^*\s][^*]*)\*(?!\*)/g, '$1<em>$2</em>');
  }).join('');
}

/** One line or paragraph of prose with math. */
export function renderInline(s: string, where = 'text'): string {
  return splitMath(s, where).map((p) => (p.kind === 'text' ? inlineMd(p.text) : renderTeX(p.tex, p.display, where))).join('');
}

/** `renderInline`, but bad TeX shows as marked raw text instead of throwing (titles, summaries). */
export function renderInlineSafe(s: string, where = 'text'): string {
  try {
    return renderInline(s, where);
  } catch (e) {
    return `${escapeHtml(s)} <span class="error">(${escapeHtml((e as Error).message)})</span>`;
  }
}

/** A Markdown block (several paragraphs) to HTML. */
export function renderProse(md: string, where = 'text'): string {
  const out: string[] = [];
  // $$…$$ may span lines: keep display math inside one paragraph by splitting on blank lines only
  for (const para of md.replace(/\r\n/g, '\n').split(/\n\s*\n/)) {
    const lines = para.split('\n').filter((l) => l.trim() !== '');
    if (!lines.length) continue;
    const first = lines[0]!.trim();
    const heading = /^(#{1,4})\s+(.*)$/.exec(first);
    if (heading && lines.length === 1) {
      const level = Math.min(6, heading[1]!.length + 2);
      out.push(`<h${level}>${renderInline(heading[2]!, where)}</h${level}>`);
    } else if (lines.every((l) => /^\s*[-*]\s+/.test(l) || /^\s{2,}\S/.test(l)) && /^[-*]\s+/.test(first)) {
      out.push(`<ul>${listItems(lines, /^\s*[-*]\s+/).map((i) => `<li>${renderInline(i, where)}</li>`).join('')}</ul>`);
    } else if (/^\d+[.)]\s+/.test(first) && lines.every((l) => /^\s*\d+[.)]\s+/.test(l) || /^\s{2,}\S/.test(l))) {
      out.push(`<ol>${listItems(lines, /^\s*\d+[.)]\s+/).map((i) => `<li>${renderInline(i, where)}</li>`).join('')}</ol>`);
    } else {
      const text = lines.join('\n');
      out.push(/^\s*\$\$[\s\S]*\$\$\s*$/.test(text) ? renderInline(text.trim(), where) : `<p>${renderInline(text, where)}</p>`);
    }
  }
  return out.join('\n');
}

/** List items; indented continuation lines join the item above. */
function listItems(lines: string[], bullet: RegExp): string[] {
  const items: string[] = [];
  for (const l of lines) {
    if (bullet.test(l)) items.push(l.replace(bullet, ''));
    else if (items.length) items[items.length - 1] += ' ' + l.trim();
  }
  return items;
}
