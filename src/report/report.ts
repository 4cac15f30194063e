/**
 * The report: runs every notebook, takes the claim table (or runs it), exports all figures in
 * ONE browser session, and writes out/report.html (derivations in KaTeX, every figure drawn
 * interactively with links to SVG/PNG/PDF/CSV, the claims with verdicts, measured vs
 * expected, tolerance and its reason, negative controls, and links to their figures), plus
 * out/notebooks/NAME.{md,html,json}, out/figures/* and out/report.json (machine summary).
 * Every one of those is byte-identical for the same command, seed and commit; the run's
 * wall-clock times go to out/timings.json alone (and to the terminal via `reportSummary`).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describeMethods, type Mode } from '../claims/types.ts';
import { inGoodStanding, standingProblem, type ClaimResult, type Outcome } from '../claims/run.ts';
import type { Format } from '../figures/export.ts';
import { escapeHtml } from '../figures/html.ts';
import { fmt } from '../util/format.ts';
import { CERTIFY_REASON } from '../numeric/certify.ts';
import { writeFileAtomic, writeJsonAtomic } from '../util/io.ts';
import { DEFAULT_SEED } from '../util/prng.ts';
import { provenance } from '../util/provenance.ts';
import { runNotebook, type Notebook, type NotebookRecord } from './notebook.ts';
import { writeNotebookOutputs, type NotebookOutputs, type StartedExport } from './outputs.ts';
import { notebookFragment, pageShell, type FigureLinks } from './pages.ts';
import type { OnProgress } from './progress.ts';
import { renderTeX } from './tex.ts';
import { renderInlineSafe } from './markdown.ts';
import { chromiumHint } from '../figures/browser.ts';
import type { ResultCache } from '../util/cache.ts';

export interface BuildReportOptions {
  /** Notebooks to run (in order), or records of notebooks already run. */
  notebooks: (Notebook | NotebookRecord)[];
  /** Verified derivations to show first (e.g. `writeDerivations(...).derivations` from src/symbolic/builtin.ts). */
  derivations?: ReportDerivation[];
  /** Claim results (from `runClaim`), or their promise (awaited after the figure export: they may still be
   *  running elsewhere); default: run every registered claim in `mode`. Pass [] for none. */
  claimResults?: ClaimResult[] | Promise<ClaimResult[]>;
  /** Root of the outputs (default 'out'). */
  outDir?: string;
  mode?: Mode;
  /** Mode for the claims this function runs (default: `mode`). */
  claimMode?: Mode;
  seed?: number;
  formats?: Format[];
  onProgress?: OnProgress;
  /** Provenance command (default: this process's command line). */
  command?: string;
  /** One-line notices (e.g. the Chromium hint); default stderr. */
  log?: (line: string) => void;
  /** Times of notebooks and claims run elsewhere (the worker pool), or their promise: for out/timings.json. */
  ranElsewhere?: RanElsewhere | Promise<RanElsewhere>;
  /** Result cache for the static figure files (src/util/cache.ts). */
  cache?: ResultCache | null;
  /** The figure export, already started with some notebooks' figures (`startNotebookExport`; `npm start`). */
  started?: StartedExport;
}

/** Times of a pool run (src/report/parallel.ts). */
export interface RanElsewhere {
  notebooks: Record<string, number>; seconds: number; workers: number;
  /** performance.now() / 1000 when the pool started: the total then runs from there (the pool overlaps this function). */
  since?: number;
}

/** A derivation shown in the report: display equations (KaTeX) and its verdict. */
export interface ReportDerivation { name: string; title: string; verdict: string; tex: string[] }

export interface ReportResult {
  path: string;
  notebooks: NotebookRecord[];
  claims: ClaimResult[];
  outputs: NotebookOutputs;
  /** Every notebook ran without error and every claim holds with a failing control. */
  ok: boolean;
  /** One line per problem (failed notebook, claim not in good standing). */
  problems: string[];
  /** Wall-clock seconds per stage (terminal summary and out/timings.json only); with an export started
   *  before the notebooks ended (`BuildReportOptions.started`), `export` is how long it went on after the last one. */
  seconds: { notebooks: number; claims: number; export: number; total: number };
  /** The figures were exported as the notebooks ended (`BuildReportOptions.started`). */
  exportStarted?: boolean;
  /** Workers of the pool that ran notebooks and claims together (then `seconds.notebooks` covers both). */
  workers?: number;
}

/** out/timings.json: the one output file that differs between identical runs. */
export interface RunTimings {
  note: string;
  seconds: ReportResult['seconds'];
  /** Per notebook run here (notebooks passed in as records were timed elsewhere). */
  notebooks: Record<string, number>;
  /** Per claim, including its negative control. */
  claims: Record<string, number>;
  /** Notebooks and claims ran together on a pool of this many workers, for `seconds.notebooks` (then `seconds.claims` is 0). */
  workers?: number;
}

const isRecord = (n: Notebook | NotebookRecord): n is NotebookRecord => 'blocks' in n;
const now = () => performance.now() / 1000;

/** Run `notebooks` then claims, export, write pages and out/report.html. */
export async function buildReport(opts: BuildReportOptions): Promise<ReportResult> {
  const t0 = now();
  const outDir = opts.outDir ?? 'out';
  const mode = opts.mode ?? 'full';
  const seed = opts.seed ?? DEFAULT_SEED;
  const progress: OnProgress = opts.onProgress ?? (() => {});
  const log = opts.log ?? ((line: string) => process.stderr.write(line + '\n'));

  const records: NotebookRecord[] = [];
  const notebookSeconds: Record<string, number> = {};
  const total = opts.notebooks.length;
  for (const [i, nb] of opts.notebooks.entries()) {
    progress({ stage: 'notebooks', done: i, total, label: nb.name, running: true });
    if (isRecord(nb)) records.push(nb);
    else {
      const start = now();
      records.push(await runNotebook(nb, { mode, seed, log: (line) => log(`[${nb.name}] ${line}`) }));
      notebookSeconds[nb.name] = now() - start;
    }
    progress({ stage: 'notebooks', done: i + 1, total, label: `${nb.name}${records[i]!.error ? ' FAILED' : ''}` });
  }
  const t1 = now();

  let pending = opts.claimResults;
  if (!pending) {
    const { allClaims, runClaims } = await import('../claims/index.ts');
    pending = await runClaims(allClaims(), {
      mode: opts.claimMode ?? mode, seed,
      onProgress: (e) => progress({ stage: 'claims', done: e.index + (e.result ? 1 : 0), total: e.total, label: e.key, ...(e.result ? {} : { running: true }) }),
    });
  }
  const t2 = now();

  const outputs = await writeNotebookOutputs(records, {
    outDir, ...(opts.formats ? { formats: opts.formats } : {}), ...(opts.command ? { command: opts.command } : {}), log, cache: opts.cache ?? null,
    onFigure: (done, n, id) => progress({ stage: 'figures', done, total: n, label: id }), ...(opts.started ? { started: opts.started } : {}),
  });
  const t3 = now();
  const claims = await pending;

  progress({ stage: 'report', done: 0, total: 1, label: 'report.html', running: true });
  const problems = [
    ...(outputs.figures.staticError ? [outputs.figures.staticError] : []),
    ...records.filter((r) => r.error).map((r) => `notebook ${r.name} failed: ${r.error}`),
    ...claims.map(standingProblem).filter((p): p is string => p !== undefined),
  ];
  const links: FigureLinks = { href: 'figures/', prepared: outputs.prepared, staticFiles: outputs.figures.staticExport === 'done' };
  const prov = provenance({ ...(opts.command ? { command: opts.command } : {}), seed });
  const path = join(outDir, 'report.html');
  // the page where a reader derives and sweeps a layer in the browser (esbuild bundles the engine)
  const { writeInteractivePage } = await import('../interactive/page.ts');
  const interactive = await writeInteractivePage(outDir);
  if (!interactive) log('interactive page not written: esbuild (a devDependency) is not installed');
  writeFileAtomic(path, reportHtml({ derivations: opts.derivations ?? [], records, claims, links, mode, seed, prov, problems, chromiumMissing: outputs.figures.staticExport === 'chromium missing',
    apiReference: existsSync(join(outDir, 'api', 'index.html')), interactive: interactive !== undefined }));
  writeJsonAtomic(join(outDir, 'report.json'), {
    provenance: prov, mode, seed, ok: problems.length === 0, problems,
    notebooks: records.map((r) => ({ name: r.name, title: r.title, error: r.error ?? null, figures: r.figures.map((f) => f.id) })),
    claims: claims.map((r) => ({
      key: r.key, title: r.claim.title, source: r.claim.source, figures: r.claim.figures ?? [],
      evidence: { ...r.evidence, data: undefined }, negativeControl: {
        description: r.claim.negativeControl.description, verdict: r.control.verdict,
        ...(r.control.verdict === 'crashed' ? { error: r.control.error } : { measured: r.control.measured }),
      },
    })),
    // files per figure id (named so this file is never mistaken for a `figures --from` input)
    figureFiles: outputs.figures.figures,
  });
  const pool = await opts.ranElsewhere;
  const seconds = { notebooks: pool ? pool.seconds : t1 - t0, claims: pool ? 0 : t2 - t1, export: t3 - t2, total: pool?.since !== undefined ? now() - pool.since : now() - t0 + (pool?.seconds ?? 0) };
  const timings: RunTimings = {
    note: 'wall-clock seconds of this run; the only file under the output directory that differs between identical runs',
    seconds, notebooks: pool ? pool.notebooks : notebookSeconds, claims: Object.fromEntries(claims.map((r) => [r.key, r.seconds])),
    ...(pool ? { workers: pool.workers } : {}),
  };
  writeJsonAtomic(join(outDir, 'timings.json'), timings);
  progress({ stage: 'report', done: 1, total: 1, label: path });
  return { path, notebooks: records, claims, outputs, ok: problems.length === 0, problems, seconds, ...(pool ? { workers: pool.workers } : {}), ...(opts.started ? { exportStarted: true } : {}) };
}

const val = (v: number | string | undefined): string => (v === undefined ? '' : escapeHtml(typeof v === 'number' ? fmt(v) : v));
/** Coloured by whether the verdict is the one required (a control must fail), not by its word. */
const verdict = (v: string, good: boolean) =>
  `<span class="${good ? 'v-good' : v === 'inconclusive' ? 'v-inconclusive' : 'v-bad'}" title="${good ? 'as required' : 'NOT as required'}">${escapeHtml(v)}</span>`;

/** A check or control that threw: it measured nothing, so only its error is shown. */
const crashed = (o: Extract<Outcome, { verdict: 'crashed' }>) => `${verdict('crashed', false)}: <code>${escapeHtml(o.error)}</code>`;

/** TeX inline, or the raw text marked, so one bad statement cannot break the report (the test checks them all). */
function texOrRaw(tex: string, where: string, display: boolean): string {
  try {
    return renderTeX(tex, display, where);
  } catch (e) {
    return `<code>${escapeHtml(tex)}</code> <span class="error">(${escapeHtml((e as Error).message)})</span>`;
  }
}

/** Links from a claim to every drawing of its registered figures in this report. */
function claimFigureLinks(r: ClaimResult, records: NotebookRecord[]): string {
  const names = r.claim.figures ?? [];
  return names.map((name) => {
    const drawn = records.flatMap((rec) => rec.figures.filter((f) => f.figure === name).map((f) => f.id ?? name));
    return drawn.length
      ? drawn.map((id) => `<a href="#figure-${escapeHtml(id)}">${escapeHtml(id)}</a>`).join(', ')
      : `<span title="no notebook drew it in this run">${escapeHtml(name)} (not drawn)</span>`;
  }).join('<br>');
}

/** certifyOrder's rule in a few words (its full statement, CERTIFY_REASON, is in the claim's details). */
const CERTIFIED = 'order certified: the expected order lies in the fitted slope\'s 95 % interval (≥ 3 points, half-width ≤ 0.25)';

/**
 * The tolerance column says what the tolerance is and why, in a line or two: 'certifyOrder'
 * alone names a function, not a tolerance. The full reason is in the claim's details.
 */
function toleranceCell(tolerance: number | string | undefined, reason: string, key: string): string {
  const t = typeof tolerance === 'string' ? tolerance.replace(/certifyOrder/g, 'certified order') : tolerance;
  const short = reason.replace(CERTIFY_REASON, CERTIFIED);
  const capped = short.length > 160 ? `${short.slice(0, 157)}…` : short;
  return `${t === undefined ? '' : `<b>${val(t)}</b><br>`}<span class="why">${escapeHtml(capped)}</span> <a href="#claim-detail-${escapeHtml(key)}">why</a>`;
}

/** The negative control as what it is: a control must fail, so failing is the good outcome. */
function controlCell(c: Outcome): string {
  if (c.verdict === 'fails') return `<span class="v-good" title="as required">control fails, as it must</span>`;
  if (c.verdict === 'crashed') return `<span class="v-bad" title="NOT as required">control crashed</span>: it must fail as a measurement`;
  return `<span class="${c.verdict === 'inconclusive' ? 'v-inconclusive' : 'v-bad'}" title="NOT as required">control ${escapeHtml(c.verdict)}</span>: it must fail`;
}

function claimsSection(claims: ClaimResult[], records: NotebookRecord[]): string {
  if (!claims.length) return '<section id="claims"><h2>Claims</h2><p>No claims were run.</p></section>';
  const good = claims.filter(inGoodStanding).length;
  const rows = claims.map((r) => {
    const e = r.evidence;
    const [measured, expected, tolerance] = e.verdict === 'crashed' ? [] : [e.measured, e.expected, e.tolerance];
    return `<tr id="claim-${escapeHtml(r.key)}"><td><a href="#claim-detail-${escapeHtml(r.key)}">${escapeHtml(r.key)}</a></td><td>${renderInlineSafe(r.claim.title, `claim ${r.key} title`)}</td>
<td>${verdict(e.verdict, e.verdict === 'holds')}</td><td class="num">${val(measured)}</td><td class="num">${val(expected)}</td><td class="tol">${e.verdict === 'crashed' ? '' : toleranceCell(tolerance, e.toleranceReason, r.key)}</td>
<td>${controlCell(r.control)}</td><td>${claimFigureLinks(r, records)}</td></tr>`;
  }).join('\n');
  const details = claims.map((r) => {
    const e = r.evidence, c = r.control;
    return `<div class="claim" id="claim-detail-${escapeHtml(r.key)}"><h3>${escapeHtml(r.key)}: ${renderInlineSafe(r.claim.title, `claim ${r.key} title`)}</h3>
<div class="math">${texOrRaw(r.claim.statement, `claim ${r.key} statement`, true)}</div>
<p class="meta">${escapeHtml(r.claim.source)} · ${escapeHtml(r.claim.family)}</p>
${e.verdict !== 'crashed' && e.methods ? `<p class="meta">Methods: ${escapeHtml(describeMethods(e.methods))}</p>\n` : ''}<p>${e.verdict === 'crashed' ? crashed(e) : `${verdict(e.verdict, e.verdict === 'holds')}: measured <b>${val(e.measured)}</b>, expected <b>${val(e.expected)}</b>${e.tolerance !== undefined ? `, tolerance ${val(e.tolerance)}` : ''}. <i>Why this tolerance:</i> ${escapeHtml(e.toleranceReason)}${e.detail ? `<br>${escapeHtml(e.detail)}` : ''}`}</p>
<p>Negative control (${escapeHtml(r.claim.negativeControl.description)}): ${c.verdict === 'crashed' ? `${crashed(c)} (<b>must fail as a measurement</b>)` : `${verdict(c.verdict, c.verdict === 'fails')} ${c.verdict === 'fails' ? '(fails, as it must)' : '(<b>must fail</b>)'}: measured ${val(c.measured)}, expected ${val(c.expected)}${c.detail ? `; ${escapeHtml(c.detail)}` : ''}`}</p>
${r.claim.figures?.length ? `<p>Figures: ${claimFigureLinks(r, records)}</p>` : ''}</div>`;
  }).join('\n');
  return `<section id="claims"><h2>Claims</h2>
<p><b>${good}/${claims.length}</b> claims hold with failing negative controls.</p>
<table class="claims"><thead><tr><th>claim</th><th>title</th><th>verdict</th><th>measured</th><th>expected</th><th>tolerance</th><th>negative control</th><th>figures</th></tr></thead>
<tbody>${rows}</tbody></table>
${details}</section>`;
}

function derivationsSection(ds: ReportDerivation[]): string {
  if (!ds.length) return '';
  return `<section id="derivations"><h2>Derivations</h2>\n${ds.map((d) => `<div class="derivation" id="derivation-${escapeHtml(d.name)}">
<h3>${escapeHtml(d.title)} ${verdict(d.verdict, d.verdict === 'proved')}</h3>
${d.tex.map((t, i) => `<div class="math">${texOrRaw(t, `derivation ${d.name} equation ${i + 1}`, true)}</div>`).join('\n')}</div>`).join('\n')}</section>`;
}

interface ReportPage {
  derivations: ReportDerivation[];
  records: NotebookRecord[]; claims: ClaimResult[]; links: FigureLinks; mode: Mode; seed: number;
  prov: ReturnType<typeof provenance>; problems: string[]; chromiumMissing: boolean;
  /** The API reference was written beside the report (api/index.html, by `npm start`). */
  apiReference: boolean;
  /** interactive.html was written beside the report. */
  interactive: boolean;
}

function reportHtml(p: ReportPage): string {
  const nav = [...(p.derivations.length ? ['<li><a href="#derivations">Derivations</a></li>'] : []), `<li><a href="#claims">Claims</a></li>`, ...p.records.map((r) => `<li><a href="#nb-${escapeHtml(r.name)}">${renderInlineSafe(r.title, `notebook ${r.name} title`)}</a>${r.error ? ' (failed)' : ''}</li>`),
    ...(p.interactive ? ['<li><a href="interactive.html">Derive and sweep a layer in your browser</a></li>'] : []),
    `<li><a href="figures/index.html">All figure files</a></li>`,
    ...(p.apiReference ? ['<li><a href="api/index.html">API reference</a></li>'] : [])].join('');
  const body = `<h1>depthlimit report</h1>
<p class="meta">${p.mode} mode · seed ${p.seed} · ${escapeHtml(p.prov.package)} ${escapeHtml(p.prov.version)} · commit <code>${escapeHtml(p.prov.commit.slice(0, 12))}${p.prov.commit.endsWith('-dirty') ? '-dirty' : ''}</code> · <code>${escapeHtml(p.prov.command)}</code> · run times in <a href="timings.json">timings.json</a></p>
${p.problems.length ? `<div class="error"><p>${p.problems.length} problem(s):</p><ul>${p.problems.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</ul></div>` : '<p>Every notebook ran and every claim holds with a failing negative control.</p>'}
${p.chromiumMissing ? `<p class="error">${escapeHtml(chromiumHint())}</p>` : ''}
<nav><h2>Contents</h2><ul>${nav}</ul></nav>
${derivationsSection(p.derivations)}
${claimsSection(p.claims, p.records)}
${p.records.map((r) => notebookFragment(r, p.links, 2)).join('\n')}`;
  const prepared = [...p.links.prepared.values()];
  return pageShell('depthlimit report', body, { scriptsHref: p.links.href, figures: prepared.length > 0, tex: prepared.some((f) => f.tex) });
}

/** A few lines for the terminal after `buildReport` (what was written, what went wrong). */
export function reportSummary(r: ReportResult): string {
  const good = r.claims.filter(inGoodStanding).length;
  const failedNb = r.notebooks.filter((n) => n.error).length;
  const lines = [
    ...(r.workers !== undefined
      ? [`notebooks: ${r.notebooks.length - failedNb}/${r.notebooks.length} ran, claims: ${good}/${r.claims.length} hold with failing negative controls (together on ${r.workers} worker${r.workers === 1 ? '' : 's'}, ${r.seconds.notebooks.toFixed(1)} s)`]
      : [`notebooks: ${r.notebooks.length - failedNb}/${r.notebooks.length} ran (${r.seconds.notebooks.toFixed(1)} s)`,
        `claims: ${good}/${r.claims.length} hold with failing negative controls (${r.seconds.claims.toFixed(1)} s)`]),
    `figures: ${r.outputs.figures.figures.length} in ${r.outputs.figures.outDir}${r.outputs.figures.staticExport === 'chromium missing' ? ' (HTML only: Chromium missing)' : ''} (${r.exportStarted ? `exported as the notebooks ended, the last ${r.seconds.export.toFixed(1)} s after them` : `${r.seconds.export.toFixed(1)} s`})`,
    ...r.problems.map((p) => `  problem: ${p}`),
    `wrote ${r.path} (run times in ${join(dirname(r.path), 'timings.json')}) in ${r.seconds.total.toFixed(1)} s`,
  ];
  return lines.join('\n');
}
