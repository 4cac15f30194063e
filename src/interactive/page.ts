/**
 * The report's interactive page, `interactive.html`: a form (g, A, β, order, x(0)) whose answer
 * is computed in the reader's browser by depthlimit's own engine (src/interactive/app.ts,
 * bundled with esbuild into `interactive.js` beside the page), typeset by KaTeX and plotted by
 * plotly (the report's shared figures/plotly.min.js). esbuild is a devDependency: where it is
 * not installed (an installed package), the page is not written and the caller says so.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { escapeHtml, MODEBAR_CSS, PLOTLY_FILE, plotlyPath } from '../figures/html.ts';
import { copyShared } from '../figures/export.ts';
import { katexStylesheet } from '../report/tex.ts';
import { PAGE_CSS } from '../report/pages.ts';
import { ensureDir, writeFileAtomic } from '../util/io.ts';
import { bundleMathjsNumber } from '../symbolic/mathjs-number.ts';
import { activeCache } from '../util/cache.ts';

const APP = join(dirname(fileURLToPath(import.meta.url)), 'app.ts');
export const INTERACTIVE_PAGE = 'interactive.html';
const BUNDLE = 'interactive.js';

/** The initial example: Ruseckas' FF layer with tanh, A = 0.5, β = 0.1, order 2. */
export const DEFAULTS = { g: 'tanh(z)', A: '0.5', beta: '0.1', order: '2', x0: '0.3' } as const;

/**
 * esbuild's bundle of app.ts for browsers (IIFE, minified); undefined when esbuild or the source
 * is missing. With a result cache, a run whose app.ts closure (the engine it bundles, package
 * versions), build options (this module) and esbuild version are unchanged reads the bytes
 * instead of bundling again (≈0.5 s CPU).
 */
export async function bundleApp(): Promise<string | undefined> {
  if (!existsSync(APP)) return undefined;
  let esbuild: typeof import('esbuild');
  try { esbuild = await import('esbuild'); } catch { return undefined; }
  const bundle = async () => (await esbuild.build({
    entryPoints: [APP], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', minify: true, write: false,
    // the engine reads process.env only for an optional profiling switch
    define: { 'process.env': '{}' }, logLevel: 'silent', legalComments: 'none', plugins: [bundleMathjsNumber],
  })).outputFiles[0]!.text;
  const cache = activeCache();
  return cache ? cache.runAsync('interactive-bundle', { esbuild: esbuild.version }, [APP, import.meta.url], bundle) : bundle();
}

const field = (id: keyof typeof DEFAULTS, label: string, hint: string) =>
  `<label for="${id}">${label}</label><input id="${id}" name="${id}" value="${escapeHtml(DEFAULTS[id])}" spellcheck="false"><span class="hint">${hint}</span>`;

export function interactiveHtml(scripts: { plotly: string; app: string }): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>depthlimit: derive and sweep a layer</title>
<style>${katexStylesheet()}</style>
<style>${PAGE_CSS}${MODEBAR_CSS}
form{display:grid;grid-template-columns:auto 1fr;gap:.4em .8em;align-items:baseline;max-width:44em}
form input{font-family:'Liberation Mono',monospace;font-size:1em;padding:.2em .4em}.hint{grid-column:2;font-size:.8em;color:#555;margin-top:-.3em}
#sweep{margin-top:40px}#error{color:#a00;font-weight:bold}</style>
<script src="${escapeHtml(scripts.plotly)}"></script>
</head><body>
<h1>Derive and sweep a near-identity layer</h1>
<p>The layer <i>x</i><sup>+</sup> = <i>z</i> + ε <i>g</i>(<i>z</i>), <i>z</i> = (<i>I</i> + ε<i>A</i>)<i>x</i> + εβ (Ruseckas' FF layer). depthlimit, running in this page, derives its continuum limit and modified equation, then runs the layer as a net of depth <i>N</i> = 4 … 1024 (ε = <i>h</i> = 1/<i>N</i>) against the ODE and certifies the order of the error.</p>
<form id="form">
${field('g', 'g(z)', 'a function of z: tanh(z), sin(z), -gamma*z^3 needs a number for gamma, e.g. -0.5*z^3')}
${field('A', 'A', 'numbers; rows by ";", entries by "," (d = 1: one number)')}
${field('beta', 'β', 'd numbers, by ";"')}
${field('order', 'order k', '1 … 4: terms of the modified equation')}
${field('x0', 'x(0)', 'd numbers, by ";"')}
<span></span><button type="submit" id="compute">Derive and sweep</button>
</form>
<p id="status"></p><p id="error"></p>
<h2>Continuum limit</h2><div id="ode" class="math"></div>
<h2>Modified equation</h2><div id="modified" class="math"></div>
<p id="verification" class="meta"></p>
<h2>Depth sweep</h2><div id="sweep" class="plotly-figure"></div><p id="slope"></p>
<script src="${escapeHtml(scripts.app)}"></script>
</body></html>
`;
}

/**
 * Write `outDir/interactive.html` and `outDir/interactive.js` (plotly from `outDir/figures/`,
 * copied there when absent). Returns the page's path, or undefined when esbuild is unavailable.
 */
export async function writeInteractivePage(outDir: string): Promise<string | undefined> {
  const app = await bundleApp();
  if (app === undefined) return undefined;
  ensureDir(join(outDir, 'figures'));
  copyShared(plotlyPath(), join(outDir, 'figures', PLOTLY_FILE));
  writeFileAtomic(join(outDir, BUNDLE), app);
  const path = join(outDir, INTERACTIVE_PAGE);
  writeFileAtomic(path, interactiveHtml({ plotly: `figures/${PLOTLY_FILE}`, app: BUNDLE }));
  return path;
}
