/**
 * Interactive figure HTML written from Node (no browser needed): plotly draws the spec in the
 * reader's browser. Used for the per-figure pages, the notebook pages and the report.
 *
 * Decision: figure pages load a SHARED `plotly.min.js` (4.8 MB) and, when a figure has TeX
 * labels, `tex-svg.js` (MathJax 3, 2.1 MB) copied once into the figures directory, so a run
 * with 20 figures is ≈ 7 MB, not 100 MB; the directory is self-contained (no network).
 * `inline: true` embeds both scripts instead, for a single-file page.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { PlotSpec } from './registry.ts';

const require = createRequire(import.meta.url);

export const PLOTLY_FILE = 'plotly.min.js';
export const MATHJAX_FILE = 'tex-svg.js';

export function plotlyPath(): string {
  return require.resolve('plotly.js-dist-min');
}
export function mathjaxPath(): string {
  return join(dirname(require.resolve('mathjax/package.json')), 'es5', 'tex-svg.js');
}

/** plotly typesets a string as TeX only when the WHOLE string is `$…$`. */
export const isTeXLabel = (s: string): boolean => /^\$[^$]+\$$/.test(s.trim());

/** Every string in a spec (titles, names, annotations, tick texts), for TeX detection and checks. */
export function specStrings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) specStrings(x, out);
  else if (v && typeof v === 'object') for (const x of Object.values(v)) specStrings(x, out);
  return out;
}

/** The TeX labels of a spec (without the dollars). */
export function texLabels(spec: PlotSpec): string[] {
  return specStrings([spec.data, spec.layout]).filter(isTeXLabel).map((s) => s.trim().slice(1, -1));
}

export const usesTeX = (spec: PlotSpec): boolean => texLabels(spec).length > 0;

/**
 * MathJax 3 config for pages that also carry KaTeX: no automatic typesetting of the page (only
 * plotly calls it, for axis labels), SVG glyphs cached per figure so exported SVGs stand alone.
 */
export const MATHJAX_CONFIG = `window.MathJax={startup:{typeset:false},tex:{inlineMath:[['$','$']]},svg:{fontCache:'local'},options:{enableMenu:false}};`;

/** JSON safe inside <script>: no `</script>` or `<!--` can end the block. */
export function scriptJson(v: unknown): string {
  return JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * Interactive pages: plotly's toolbar (modebar) lives in a strip above the figure instead of
 * over its top-right corner, where the legend is (house style puts the legend above the plot).
 */
export const MODEBAR_CSS = `.plotly-figure{margin-top:30px}.plotly-figure .modebar-container{top:-28px!important}`;

/** Plotly config for interactive pages. */
export const PLOT_CONFIG = { displaylogo: false, responsive: false, toImageButtonOptions: { format: 'svg' } };

/**
 * A placeholder div plus its spec; `RENDER_ALL` draws every such div on the page. The spec
 * already carries width/height (see `sizedSpec` in export.ts).
 */
export function figureDiv(id: string, spec: PlotSpec): string {
  return `<div class="plotly-figure" id="fig-${escapeHtml(id)}" data-figure="${escapeHtml(id)}"></div>\n` +
    `<script type="application/json" data-spec-for="${escapeHtml(id)}">${scriptJson(spec)}</script>`;
}

/**
 * Browser code defining `drawAligned(Plotly, div, data, layout, config)`: newPlot, then make sure
 * every cartesian subplot's trace layer sits at its axes' offsets, and return how many redraws
 * that took. Why: with TeX labels MathJax typesets after plotly's first layout; a grown label
 * (a TeX legend entry, an axis title) moves the margins through automargin, and plotly 3 then
 * redraws the axes at the new offsets but leaves each subplot's trace group at the old
 * translate — measured on verlet-energy: traces 32 px above their axes, a peak of 7.7e-3 drawn
 * at 4e-2. Plotly.redraw re-places them; a layer still misplaced after three redraws is an
 * error (a figure that lies is worse than no figure). Why a full redraw: plotly fixes the axes'
 * offsets from the margins it starts a draw with, and a margin pushed after that (the TeX
 * legend's, which MathJax's promises make arrive after the axes are placed) only moves the
 * margins for the next draw; plotly's own answer to a late margin is a whole new draw too
 * (its auto-margin redraw). No public call re-places the layers alone.
 *
 * `memoiseTeX` makes the redraw (and every later figure with the same labels) cheaper: plotly
 * typesets each TeX label through its own MathJax document (fontCache 'local') at every draw,
 * and the redraw and the legend's second pass repeat them all (377 conversions, 126 distinct,
 * for the 34 figures of `npm start`). A repeated conversion returns a clone of the first one's
 * output with its glyph ids renumbered to the id MathJax would have given it (the document's
 * font cache counts one id per conversion, and the counter is advanced the same), so the page
 * is the same DOM: each of the 251 repeats compared equal (outerHTML) to a real conversion made beside it.
 * Only for the document plotly makes (local font cache, no fixed localID); anything else is
 * left as MathJax made it. Written without named inner functions: the page has no bundler helpers.
 */
export const DRAW_ALIGNED = `window.memoiseTeX = () => {
  const mj = window.MathJax && MathJax._ && MathJax._.mathjax && MathJax._.mathjax.mathjax;
  if (!mj || mj.document.memoised) return;
  const make = mj.document;
  mj.document = function (...args) {
    const doc = make.apply(this, args);
    const out = doc.outputJax, cache = out && out.fontCache;
    if (!cache || typeof cache.nextID !== 'number' || !out.options || out.options.fontCache !== 'local' || out.options.localID != null) return doc;
    const convert = doc.convert, seen = new Map();
    doc.convert = function (math, options) {
      const key = JSON.stringify([math, options || {}]);
      const hit = seen.get(key);
      if (!hit) {
        const node = convert.call(this, math, options);
        seen.set(key, { node: node.cloneNode(true), id: cache.nextID });
        return node;
      }
      const from = 'MJX-' + hit.id + '-', to = 'MJX-' + (++cache.nextID) + '-';
      const node = hit.node.cloneNode(true);
      for (const el of [node, ...node.querySelectorAll('*')]) {
        for (const at of el.attributes) if (at.value.includes(from)) at.value = at.value.split(from).join(to);
      }
      return node;
    };
    return doc;
  };
  mj.document.memoised = true;
};
window.misplacedLayers = (div) => {
  const out = [];
  const plots = (div._fullLayout && div._fullLayout._plots) || {};
  for (const id of Object.keys(plots)) {
    const pi = plots[id];
    const t = pi.plot && pi.plot.attr('transform');
    const m = /translate\\(\\s*([-\\d.e]+)[ ,]+([-\\d.e]+)\\s*\\)/.exec(t || '');
    if (!m || Math.abs(+m[1] - pi.xaxis._offset) > 0.01 || Math.abs(+m[2] - pi.yaxis._offset) > 0.01) {
      out.push(id + ': trace layer at ' + t + ', axes at (' + pi.xaxis._offset + ', ' + pi.yaxis._offset + ')');
    }
  }
  return out;
};
window.drawAligned = async (P, div, data, layout, config) => {
  window.memoiseTeX();
  await P.newPlot(div, data, layout, config);
  let redraws = 0;
  while (window.misplacedLayers(div).length && redraws < 3) { await P.redraw(div); redraws++; }
  const bad = window.misplacedLayers(div);
  if (bad.length) throw new Error('plot layers not aligned with their axes after ' + redraws + ' redraws: ' + bad.join('; '));
  return redraws;
};`;

/**
 * Browser code defining `legendProblems(div)`: what is wrong with a drawn figure's legend, read
 * off the rendered page (empty when nothing): a named trace without a visible legend entry (an
 * entry scrolled or clipped out of the legend box counts as missing), and a legend box that
 * overlaps a subplot's plot area (the legend must never hide data). Used by the browser test.
 */
export const LEGEND_CHECK = `window.legendProblems = (div) => {
  const out = [];
  const full = div._fullLayout;
  const svg = div.querySelector('.main-svg').getBoundingClientRect();
  const legend = div.querySelector('g.legend');
  const box = legend && legend.querySelector('rect.bg') ? legend.querySelector('rect.bg').getBoundingClientRect() : null;
  const entries = legend ? [...legend.querySelectorAll('g.traces')] : [];
  const shown = new Set();
  for (const e of entries) {
    const r = e.getBoundingClientRect();
    const t = e.querySelector('.legendtext');
    const name = t ? t.getAttribute('data-unformatted') : '';
    if (box && r.height > 0 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.left >= box.left - 1 && r.right <= box.right + 1) shown.add(name);
    else out.push('legend entry ' + JSON.stringify(name) + ' lies outside the legend box (cut off)');
  }
  div._fullData.forEach((t, i) => {
    const name = div.data[i] && div.data[i].name;
    if (t.visible === true && t.showlegend && name && !shown.has(name)) out.push('trace ' + i + ' ' + JSON.stringify(name) + ' has no visible legend entry');
  });
  if (box && full.showlegend) {
    for (const id of Object.keys(full._plots || {})) {
      const p = full._plots[id];
      const x0 = svg.left + p.xaxis._offset, x1 = x0 + p.xaxis._length, y0 = svg.top + p.yaxis._offset, y1 = y0 + p.yaxis._length;
      const w = Math.min(x1, box.right) - Math.max(x0, box.left), h = Math.min(y1, box.bottom) - Math.max(y0, box.top);
      if (w > 0.5 && h > 0.5) out.push('legend box overlaps plot area ' + id + ' by ' + w.toFixed(1) + ' x ' + h.toFixed(1) + ' px');
    }
  }
  return out;
};`;

/** Draws all `.plotly-figure` divs in order; sets `window.__figuresDone` (the browser test waits on it). */
export const RENDER_ALL = `<script>
${DRAW_ALIGNED}
(async () => {
  const cfg = ${JSON.stringify(PLOT_CONFIG)};
  const errors = [];
  for (const el of document.querySelectorAll('script[data-spec-for]')) {
    const div = document.getElementById('fig-' + el.dataset.specFor);
    try { const s = JSON.parse(el.textContent); await drawAligned(Plotly, div, s.data, s.layout, cfg); }
    catch (e) { errors.push(el.dataset.specFor + ': ' + e); div.textContent = 'figure failed: ' + e; }
  }
  // captions of standalone figure pages (class mj-caption) are typeset by MathJax when present
  const caps = [...document.querySelectorAll('.mj-caption')];
  if (caps.length && window.MathJax && MathJax.typesetPromise) { try { await MathJax.typesetPromise(caps); } catch (e) { errors.push('caption: ' + e); } }
  window.__figureErrors = errors;
  window.__figuresDone = true;
})();
</script>`;

/** Script tags for plotly (and MathJax if needed): shared files by relative href, or inlined. */
export function plotlyScripts(opts: { tex: boolean; inline?: boolean; href?: string }): string {
  const base = opts.href ?? '';
  if (opts.inline) {
    return (opts.tex ? `<script>${MATHJAX_CONFIG}</script>\n<script>${readFileSync(mathjaxPath(), 'utf8')}</script>\n` : '') +
      `<script>${readFileSync(plotlyPath(), 'utf8')}</script>`;
  }
  return (opts.tex ? `<script>${MATHJAX_CONFIG}</script>\n<script src="${base}${MATHJAX_FILE}"></script>\n` : '') +
    `<script src="${base}${PLOTLY_FILE}"></script>`;
}

/** A standalone interactive page for one figure. */
export function figurePage(id: string, title: string, spec: PlotSpec, opts: { inline?: boolean; caption?: string; links?: string[] } = {}): string {
  const links = opts.links?.length
    ? `<p class="links">${opts.links.map((l) => `<a href="${escapeHtml(l)}">${escapeHtml(l.split('.').slice(1).join('.') || l)}</a>`).join(' · ')}</p>`
    : '';
  const captionTeX = !!opts.caption && /\$[^$]+\$/.test(opts.caption);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>body{font-family:'Liberation Sans',Arial,sans-serif;margin:1.5em;color:#111}h1{font-size:1.1em}.links{font-size:.85em}${MODEBAR_CSS}</style>
${plotlyScripts({ tex: usesTeX(spec) || captionTeX, inline: opts.inline })}
</head><body>
<h1>${escapeHtml(title)}</h1>
${figureDiv(id, spec)}
${opts.caption ? `<p class="mj-caption">${escapeHtml(opts.caption)}</p>` : ''}
${links}
${RENDER_ALL}
</body></html>
`;
}
