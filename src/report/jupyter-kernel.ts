/**
 * The kernel side of a notebook run in Jupyter (see src/report/jupyter.ts): the recording
 * context `runNotebook` uses, with every block shown as it is recorded through tslab's display:
 * prose and tables as Markdown, display math as LaTeX (Jupyter's MathJax typesets it), figures as
 * interactive plotly plots (the bundle is sent once per kernel, then each figure is drawn with
 * the same `drawAligned` the report pages use). The checks are the same as in `npm start`: bad
 * TeX, an unknown figure or data it cannot draw fail the cell that recorded them.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { DRAW_ALIGNED, MATHJAX_CONFIG, mathjaxPath, PLOT_CONFIG, plotlyPath, scriptJson } from '../figures/html.ts';
import { prepareFigures } from '../figures/export.ts';
import { blockMarkdown, shortValue } from './pages.ts';
import { notebookContext, type Notebook, type NotebookContext, type NotebookRecord } from './notebook.ts';

/** Figures drawn in this kernel (element ids must stay unique when a cell is run again). */
let drawn = 0;

interface Display { html(s: string): void; markdown(s: string): void; latex(s: string): void }

/** tslab's display, from the tslab that runs this kernel (the same module instance: it holds the current cell). */
function tslabDisplay(): Display {
  const req = createRequire(process.argv[1] ?? import.meta.url);
  try {
    return (req('tslab') as { display: Display }).display;
  } catch {
    return (createRequire(import.meta.url)('tslab') as { display: Display }).display;
  }
}

/**
 * plotly's bundle (it sets `window.Plotly` itself) and `drawAligned`, and MathJax when a figure
 * has TeX and the page has none (JupyterLab; the classic notebook brings its own), as one script.
 */
function loaderScript(tex: boolean): string {
  return `<script>${DRAW_ALIGNED}
if (!window.Plotly) {
${readFileSync(plotlyPath(), 'utf8')}
}
${tex ? `if (!window.MathJax) {\n${MATHJAX_CONFIG}\n${readFileSync(mathjaxPath(), 'utf8')}\n}` : ''}
</script>`;
}

export interface JupyterNotebook extends NotebookContext {
  /** Show the recorded results and return the record (what `runNotebook` would have returned). */
  finish(): NotebookRecord;
}

/** Open `nb` for cell-by-cell use in a tslab kernel. */
export function openJupyterNotebook(nb: Notebook, opts: { mode: 'quick' | 'full'; seed: number }, display: Display = tslabDisplay()): JupyterNotebook {
  const loaded = { plotly: false, tex: false };
  const links = { href: '../figures/', staticFiles: false };
  const { ctx, rec } = notebookContext(nb, {
    ...opts,
    log: (line) => display.markdown(`*${line}*`),
    onBlock: (b) => {
      if (b.kind === 'result') return;
      if (b.kind === 'tex') return display.latex(`$$${b.tex}$$`);
      if (b.kind !== 'figure') return display.markdown(blockMarkdown(b, rec, links).join('\n'));
      const [fig] = prepareFigures([rec.figures[b.index]!]);
      const needTex = fig!.tex && !loaded.tex;
      if (!loaded.plotly || needTex) display.html(loaderScript(needTex));
      loaded.plotly = true;
      loaded.tex ||= fig!.tex;
      const div = `dl-${fig!.id}-${++drawn}`; // unique on the page even when a cell runs again
      display.html(`<div id="${div}"></div>
<script>(function(){ const s = ${scriptJson(fig!.plot)};
  const draw = () => window.drawAligned(window.Plotly, document.getElementById('${div}'), s.data, s.layout, ${JSON.stringify(PLOT_CONFIG)});
  (window.Plotly ? draw() : new Promise((r) => setTimeout(r, 100)).then(draw)).catch((e) => { document.getElementById('${div}').textContent = 'figure failed: ' + e; });
})();</script>`);
      if (b.caption) display.markdown(`*Figure ${fig!.id}: ${b.caption}*`);
    },
  });
  return Object.assign(ctx, {
    finish(): NotebookRecord {
      const keys = Object.keys(rec.results);
      if (keys.length) display.markdown(['## Results', '', ...keys.map((k) => `- \`${k}\`: ${shortValue(rec.results[k]).replace(/\n/g, ' ')}`)].join('\n'));
      return rec;
    },
  });
}
