/**
 * Notebook pages: a recorded notebook (NotebookRecord) as Markdown (TeX kept as $$…$$ for
 * any Markdown+math viewer) and as HTML (KaTeX rendered here, figures drawn by plotly in the
 * page from their built specs, links to SVG/PNG/PDF/CSV beside them).
 */
import { escapeHtml, figureDiv, MODEBAR_CSS, plotlyScripts, RENDER_ALL } from '../figures/html.ts';
import type { PreparedFigure } from '../figures/export.ts';
import { fmt } from '../util/format.ts';
import { katexStylesheet, renderTeX } from './tex.ts';
import { renderInline, renderInlineSafe, renderProse } from './markdown.ts';
import type { Block, NotebookRecord } from './notebook.ts';

export interface FigureLinks {
  /** href prefix of the figures directory, relative to the page, e.g. '../figures/'. */
  href: string;
  /** Built figures by id (to embed); a figure missing here is linked, not drawn. */
  prepared: Map<string, PreparedFigure>;
  /** Whether SVG/PNG/PDF were written (Chromium present). */
  staticFiles: boolean;
}

const cell = (v: string | number): string => (typeof v === 'number' ? fmt(v) : v);

/** A short, readable rendering of a result value for the Markdown/HTML summary. */
export function shortValue(v: unknown): string {
  if (typeof v === 'number') return fmt(v);
  if (typeof v === 'string') return v.length > 80 ? v.slice(0, 77) + '…' : v;
  if (typeof v === 'boolean' || v === null) return String(v);
  const s = JSON.stringify(v);
  return s.length > 80 ? `${Array.isArray(v) ? `array of ${v.length}` : 'object'} (see JSON)` : s;
}

/** One recorded block as Markdown lines ($$…$$ display math; a figure as its image or link and caption). */
export function blockMarkdown(b: Block, rec: NotebookRecord, links: Omit<FigureLinks, 'prepared'>): string[] {
  if (b.kind === 'section') return [`## ${b.title}`, ''];
  if (b.kind === 'text') return [b.markdown, ''];
  if (b.kind === 'tex') return ['$$', b.tex, '$$', ''];
  if (b.kind === 'table') {
    return [`| ${b.header.join(' | ')} |`, `|${b.header.map(() => '---').join('|')}|`,
      ...b.rows.map((r) => `| ${r.map((c) => cell(c).replace(/\|/g, '\\|')).join(' | ')} |`), '',
      ...(b.caption ? [`*${b.caption}*`, ''] : [])];
  }
  const id = rec.figures[b.index]?.id ?? b.figure;
  const img = links.staticFiles ? `![${b.caption ?? id}](${links.href}${id}.svg)` : `[${id} (interactive)](${links.href}${id}.html)`;
  const more = [['interactive', 'html'], ...(links.staticFiles ? [['PDF', 'pdf'], ['PNG', 'png']] : []), ['CSV', 'csv']]
    .map(([t, x]) => `[${t}](${links.href}${id}.${x})`).join(' · ');
  return [img, '', `*Figure ${id}${b.caption ? `: ${b.caption}` : ''}* (${more})`, ''];
}

/** The notebook as Markdown with $$…$$ display math and links to its figure files. */
export function notebookMarkdown(rec: NotebookRecord, links: Omit<FigureLinks, 'prepared'>): string {
  const out: string[] = [`# ${rec.title}`, '', `> ${rec.summary}`, '', `*${rec.mode} mode, seed ${rec.seed}*`, ''];
  for (const b of rec.blocks) out.push(...blockMarkdown(b, rec, links));
  const keys = Object.keys(rec.results);
  if (keys.length) out.push('## Results', '', ...keys.map((k) => `- \`${k}\`: ${shortValue(rec.results[k]).replace(/\n/g, ' ')}`), '');
  if (rec.error) out.push('## Error', '', `The notebook stopped: \`${rec.error}\``, '');
  return out.join('\n');
}

/** One figure block: the interactive plot (or a link) and its caption and file links. */
export function figureBlock(id: string, caption: string | undefined, links: FigureLinks, where: string): string {
  const f = links.prepared.get(id);
  const files = [['interactive', 'html'], ...(links.staticFiles ? [['SVG', 'svg'], ['PDF', 'pdf'], ['PNG', 'png']] : []), ['CSV', 'csv'], ['data', 'data.json'], ['provenance', 'provenance.json']]
    .map(([t, x]) => `<a href="${links.href}${escapeHtml(id)}.${x}">${t}</a>`).join(' · ');
  return `<figure class="fig" id="figure-${escapeHtml(id)}">
${f ? figureDiv(id, f.plot) : `<p><a href="${links.href}${escapeHtml(id)}.html">${escapeHtml(id)}</a></p>`}
<figcaption><b>${escapeHtml(id)}</b>${caption ? `: ${renderInline(caption, where)}` : ''} <span class="files">(${files})</span></figcaption>
</figure>`;
}

/** The notebook's body as an HTML fragment (used by its own page and by the report). */
export function notebookFragment(rec: NotebookRecord, links: FigureLinks, headingLevel = 2): string {
  const h = (n: number) => `h${Math.min(6, headingLevel + n)}`;
  const where = `notebook ${rec.name}`;
  const out: string[] = [
    `<section class="notebook" id="nb-${escapeHtml(rec.name)}">`,
    `<${h(0)}>${renderInlineSafe(rec.title, where)}</${h(0)}>`,
    `<p class="summary">${renderInlineSafe(rec.summary, where)}</p>`,
    `<p class="meta">${rec.mode} mode · seed ${rec.seed}</p>`,
  ];
  if (rec.error) out.push(`<p class="error">The notebook failed: <code>${escapeHtml(rec.error)}</code></p>`);
  for (const b of rec.blocks) {
    if (b.kind === 'section') out.push(`<${h(1)}>${renderInline(b.title, where)}</${h(1)}>`);
    else if (b.kind === 'text') out.push(renderProse(b.markdown, where));
    else if (b.kind === 'tex') out.push(`<div class="math">${renderTeX(b.tex, true, where)}</div>`);
    else if (b.kind === 'table') {
      out.push(`<table><thead><tr>${b.header.map((c) => `<th>${renderInline(c, where)}</th>`).join('')}</tr></thead><tbody>` +
        b.rows.map((r) => `<tr>${r.map((c) => `<td${typeof c === 'number' ? ' class="num"' : ''}>${typeof c === 'number' ? fmt(c) : renderInline(c, where)}</td>`).join('')}</tr>`).join('') +
        `</tbody>${b.caption ? `<caption>${renderInline(b.caption, where)}</caption>` : ''}</table>`);
    } else if (b.kind === 'figure') {
      out.push(figureBlock(rec.figures[b.index]?.id ?? b.figure, b.caption, links, where));
    }
  }
  const keys = Object.keys(rec.results);
  if (keys.length) {
    out.push(`<details class="results"><summary>Results (${keys.length})</summary><table><tbody>${keys
      .map((k) => `<tr><td><code>${escapeHtml(k)}</code></td><td>${escapeHtml(shortValue(rec.results[k]))}</td></tr>`).join('')}</tbody></table></details>`);
  }
  out.push('</section>');
  return out.join('\n');
}

export const PAGE_CSS = `
body{font-family:'Liberation Serif','Times New Roman',serif;max-width:52em;margin:2em auto;padding:0 1em;color:#111;line-height:1.45}
h1,h2,h3,h4{font-family:'Liberation Sans',Arial,sans-serif;line-height:1.2}
.summary{font-style:italic}.meta,.files,figcaption{font-size:.85em;color:#444}
.error{color:#a00;font-weight:bold}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border-bottom:1px solid #ccc;padding:.25em .6em;text-align:left;vertical-align:top}
td.num{text-align:right;font-variant-numeric:tabular-nums}td.tol{min-width:12em}.why{font-size:.85em;color:#444}caption{caption-side:bottom;font-size:.85em;padding-top:.3em}
figure.fig{margin:1.5em 0}
.math-display{display:block;text-align:center;margin:.6em 0}.math{max-width:100%}
code{font-size:.9em}nav ul{columns:2}
.v-good{color:#006d2c;font-weight:bold}.v-bad{color:#b30000;font-weight:bold}.v-inconclusive{color:#8a6d00;font-weight:bold}
`;

/** A complete page: KaTeX CSS inlined (fonts as data URLs), plotly (+ MathJax) from `scriptsHref`. */
export function pageShell(title: string, body: string, opts: { scriptsHref: string; figures: boolean; tex: boolean }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${katexStylesheet()}</style>
<style>${PAGE_CSS}${MODEBAR_CSS}</style>
${opts.figures ? plotlyScripts({ tex: opts.tex, href: opts.scriptsHref }) : ''}
</head><body>
${body}
${opts.figures ? RENDER_ALL : '<script>window.__figuresDone=true;window.__figureErrors=[]</script>'}
</body></html>
`;
}

/** The notebook's standalone HTML page. */
export function notebookHtml(rec: NotebookRecord, links: FigureLinks): string {
  const figs = rec.figures.map((f) => links.prepared.get(f.id ?? f.figure)).filter((f) => f !== undefined);
  return pageShell(rec.title.replace(/\$/g, ''), notebookFragment(rec, links, 1), { scriptsHref: links.href, figures: figs.length > 0, tex: figs.some((f) => f.tex) });
}
