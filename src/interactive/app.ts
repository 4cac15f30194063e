/**
 * The interactive page's browser code (bundled by esbuild into interactive.js, see page.ts): a
 * reader types g, A, β and an order; depthlimit's own engine, the same modules the CLI runs,
 * derives the continuum-limit ODE and the modified equation (typeset by KaTeX) and sweeps the
 * layer in depth, certifying its order (plotted in house style by logLogConvergence).
 * Nothing here computes mathematics of its own: it reads the form and shows what the engine says.
 */
import katex from 'katex';
import { derive } from '../api/derive.ts';
import { sweep } from '../api/sweep.ts';
import { logLogConvergence } from '../figures/style.ts';
import { SIZES } from '../figures/style.ts';

interface PlotlyLike { newPlot(div: HTMLElement, data: unknown[], layout: unknown, config: unknown): Promise<unknown> }
declare const Plotly: PlotlyLike;

const byId = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const value = (id: string): string => byId<HTMLInputElement>(id).value.trim();

/** Display TeX that breaks across lines (as on the report's pages: \displaystyle in inline mode). */
function typeset(el: HTMLElement, tex: string): void {
  el.innerHTML = `<span class="math-display">${katex.renderToString(`\\displaystyle ${tex}`, { displayMode: false, throwOnError: true, output: 'htmlAndMathml', strict: 'ignore' })}</span>`;
}

/** The depths of the sweep: doubling from 4 to 2^k (the quick ladder, a few hundred ms in a browser). */
const DEPTHS = '4..1024';

async function compute(): Promise<void> {
  const status = byId('status'), error = byId('error');
  error.textContent = '';
  status.textContent = 'deriving…';
  (window as unknown as { __interactiveDone: boolean }).__interactiveDone = false;
  try {
    const order = Number(value('order'));
    const dv = derive({ layer: 'ff', g: value('g'), A: value('A'), beta: value('beta') }, { order });
    if (dv.params.length) throw new Error(`give numbers for A and β to sweep: the layer still has the symbols ${dv.params.join(', ')}`);
    typeset(byId('ode'), dv.tex.ode);
    typeset(byId('modified'), dv.tex.modified);
    byId('verification').textContent = `derivation verified: ${dv.verification.verdict}`;
    status.textContent = 'sweeping…';
    await new Promise((r) => setTimeout(r, 0)); // let the page show the equations first
    const x0 = value('x0').split(/[;,]/).map((s) => Number(s.trim()));
    const s = sweep({ layer: dv, x0, depths: DEPTHS });
    const spec = logLogConvergence([{ label: 'net vs ODE', h: s.h, err: s.err, certificate: s.certificate }],
      { xTitle: 'h = T/N', yTitle: 'max error', referenceSlopes: [s.expected] });
    const layout = { ...spec.layout, width: SIZES.double.width, height: SIZES.single.height + 40, autosize: false };
    await Plotly.newPlot(byId('sweep'), spec.data as unknown[], layout, { displaylogo: false, responsive: false });
    const c = s.certificate;
    const slope = byId('slope');
    slope.dataset['slope'] = String(c.slope);
    slope.dataset['verdict'] = c.verdict;
    slope.textContent = `certified slope ${c.slope.toFixed(3)}, interval [${c.ci[0].toFixed(3)}, ${c.ci[1].toFixed(3)}], expected order ${s.expected} (${s.expectedFrom}): ${c.verdict}`;
    status.textContent = '';
  } catch (e) {
    status.textContent = '';
    error.textContent = (e as Error).message;
  }
  (window as unknown as { __interactiveDone: boolean }).__interactiveDone = true;
}

byId('form').addEventListener('submit', (ev) => { ev.preventDefault(); void compute(); });
void compute();
