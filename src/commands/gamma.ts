/**
 * `depthlimit gamma`: the Γ-convergence depth sweep. Train the Thorpe–van Gennip objective at
 * depths n = 4 … 1024 (multilevel warm starts, H¹-preconditioned or plain L-BFGS), report
 * iterations, minimal energies and the distances between consecutive minimisers, with
 * certified rates.
 */
import type { GammaModel } from '../experiments/gamma/objective.ts';
import type { gammaModel as GammaModelFn } from '../experiments/gamma/model.ts';
import type { SweepEvidence } from '../experiments/gamma/sweep.ts';
import type { LevelResult, Optimizer } from '../experiments/gamma/train.ts';
import { positiveInt, quote, UserError } from '../util/errors.ts';
import { fmt, table } from '../util/format.ts';
import { checkOutputFile, checkOutputFiles, writeFileAtomic } from '../util/io.ts';
import { FORMATS, parseFormats } from '../figures/formats.ts';
import { join } from 'node:path';
import { finiteNumber, parseDepths, parseList } from './args.ts';
import { capDepths, depthsQuantity, gammaCost, withinBudget } from './budget.ts';
import { flag, str, type CommandSpec, type Options } from './spec.ts';

function positive(text: string | undefined, what: string, allowZero = false): number | undefined {
  if (text === undefined) return undefined;
  const v = finiteNumber(text, what);
  if (allowZero ? v < 0 : v <= 0) throw new UserError(`${what} must be ${allowZero ? '≥ 0' : '> 0'}, got ${quote(text)}`);
  return v;
}

/** The model from the options (text → numbers here; the checks are experiments/gamma/model.ts's, shared with the API). */
export function modelFromOptions(opts: Options, d: number, withData: boolean, gammaModel: typeof GammaModelFn): GammaModel {
  const num = (k: string): number | undefined => (str(opts, k) === undefined ? undefined : finiteNumber(str(opts, k)!, `--${k}`));
  const w = str(opts, 'w');
  return gammaModel({
    ...(num('alpha') !== undefined ? { alpha: num('alpha')! } : {}),
    ...(num('lambda') !== undefined ? { lambda: num('lambda')! } : {}),
    ...(num('mu') !== undefined ? { mu: num('mu')! } : {}),
    ...(num('kappa') !== undefined ? { kappa: num('kappa')! } : {}),
    ...(num('c') !== undefined ? { c: num('c')! } : {}),
    ...(num('readout-ridge') !== undefined ? { readoutRidge: num('readout-ridge')! } : {}),
    ...(str(opts, 'activation') !== undefined ? { activation: str(opts, 'activation')! } : {}),
    ...(str(opts, 'readout') !== undefined ? { readout: str(opts, 'readout') as 'fixed' | 'learned' } : {}),
    ...(w !== undefined ? { w: parseList(w, '--w').map((s) => finiteNumber(s, '--w')) } : {}),
  }, d, withData, '--');
}

function csvOf(levels: LevelResult[], e: SweepEvidence): string {
  // no wall-clock column: the file is the same on every run (the terminal table has the times)
  const rows = ['n,iterations,evaluations,converged,reason,energy,loss,scaled_gradient,energy_cauchy,l2_cauchy,sup_cauchy,neumann'];
  levels.forEach((l, i) => {
    const c = (a: number[]) => (i < a.length ? String(a[i]) : '');
    rows.push([l.n, l.iterations, l.evaluations, l.converged, l.reason, l.energy, l.parts.loss, l.scaledGradient,
      c(e.energyCauchy), c(e.minimiserL2), c(e.minimiserSup), e.neumann[i]].join(','));
  });
  return rows.join('\n') + '\n';
}

export const command: CommandSpec = {
  name: 'gamma',
  summary: 'Γ-convergence of training: minimal energies and minimisers across depths (multilevel L-BFGS)',
  usage: 'gamma [--depths 4..1024] [--data FILE] [--optimizer h1|plain] [--kappa K] [--alpha A | --lambda L --mu M] [--csv FILE] [--json]',
  options: {
    depths: { type: 'string', description: 'doubling range a..b or a list that doubles, e.g. 4,8,16 (each level warm-starts from the previous)', default: '4..1024' },
    data: { type: 'string', description: 'CSV with a header (inputs = every column but y); default: the built-in toy of CLAIMS §2.7' },
    optimizer: { type: 'string', description: 'h1 (L-BFGS in the regulariser\'s H¹ metric) or plain', default: 'h1' },
    kappa: { type: 'string', description: 'exponent κ of the difference term n^κ Σ|ΔK|²', default: '1' },
    alpha: { type: 'string', description: 'α[n^κ Σ|ΔK|² + (1/n) Σ|K|²] (sets λ = μ = α)' },
    lambda: { type: 'string', description: 'weight of (1/n) Σ|K|² + (1/n) Σ|b|² (default 1e-3)' },
    mu: { type: 'string', description: 'weight of n^κ Σ(|ΔK|² + |Δb|²) (default 1e-3; 0 drops it)' },
    readout: { type: 'string', description: 'fixed (w, c given) or learned (ridge --readout-ridge); default fixed with --data, learned otherwise' },
    w: { type: 'string', description: 'fixed readout w (comma-separated; default 1,-1 for d = 2)' },
    c: { type: 'string', description: 'fixed readout offset c (default 0)' },
    'readout-ridge': { type: 'string', description: 'ridge γ₀ on a learned readout (default 1e-4)' },
    activation: { type: 'string', description: 'σ: tanh, softplus, cubic, identity', default: 'tanh' },
    'max-iterations': { type: 'string', description: 'iteration cap per level', default: '5000' },
    tol: { type: 'string', description: 'stop when n·‖∇E_n‖_∞ ≤ tol', default: '1e-7' },
    csv: { type: 'string', description: 'write the per-depth table to this CSV file' },
    out: { type: 'string', description: 'write gamma.json (a `figures --from` file), gamma.csv and the figures to this directory' },
    formats: { type: 'string', description: `figure formats with --out: ${FORMATS.join(',')} (SVG/PNG/PDF need Chromium)`, default: FORMATS.join(',') },
  },
  examples: [
    'gamma --depths 4..256',
    'gamma --data data/gamma-data.csv --depths 4..1024 --csv out/gamma.csv',
    'gamma --data data/gamma-data.csv --optimizer plain --depths 4..64',
    'gamma --kappa 1.5 --depths 4..512 --json',
    'gamma --depths 4..256 --out runs/gamma',
  ],
  async run(opts) {
    // --out and --formats are checked before any work
    const outDir = str(opts, 'out');
    const formats = parseFormats(str(opts, 'formats') ?? FORMATS.join(','));
    if (outDir !== undefined) checkOutputFiles(outDir, ['gamma.json', 'gamma.csv'], '--out'); // gamma.csv is written last: a folder of that name cut the set short
    const csv = str(opts, 'csv');
    if (csv !== undefined) checkOutputFile(csv, '--csv');
    const depths = parseDepths(str(opts, 'depths') ?? '4..1024');
    const optimizer = (str(opts, 'optimizer') ?? 'h1') as Optimizer;
    if (optimizer !== 'h1' && optimizer !== 'plain') throw new UserError(`--optimizer must be h1 or plain, got ${quote(String(optimizer))}`);
    const [{ default: cliProgress }, { describeCertificate }, { loadDataset, toyDataset }, { gammaSweep }, { gammaModel }] = await Promise.all([
      import('cli-progress'), import('../numeric/certify.ts'), import('../experiments/gamma/data.ts'), import('../experiments/gamma/sweep.ts'),
      import('../experiments/gamma/model.ts'),
    ]);
    const path = str(opts, 'data');
    const data = path ? loadDataset(path) : toyDataset();
    const model = modelFromOptions(opts, data.d, path !== undefined, gammaModel);
    const maxIterations = positiveInt(str(opts, 'max-iterations') ?? '5000', '--max-iterations');
    const tol = positive(str(opts, 'tol') ?? '1e-7', '--tol')!;
    const json = flag(opts, 'json');
    const source = path === undefined ? 'the toy data' : `--data ${path}`;
    withinBudget([
      depthsQuantity(depths), { option: '--max-iterations', value: maxIterations },
      { option: source, value: data.S, shown: `with ${data.S} rows`, unit: 'rows' }, { option: source, value: data.d, shown: `with ${data.d} inputs`, unit: 'inputs' },
    ], ([n, m, S, d]) => gammaCost(capDepths(depths, n!), S!, d!, m!));

    const tty = process.stderr.isTTY === true;
    const bar = tty ? new cliProgress.SingleBar({ format: 'gamma [{bar}] {value}/{total} {label}', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
    bar?.start(depths.length, 0, { label: `n = ${depths[0]}` });
    const seconds = new Map<number, number>();
    const onLevel = (r: LevelResult, s: number): void => {
      seconds.set(r.n, s);
      const line = `n = ${r.n}: ${r.iterations} iterations, E = ${r.energy.toPrecision(10)}, n‖∇E‖∞ = ${fmt(r.scaledGradient)}, ${r.converged ? 'converged' : `NOT converged (${r.reason})`}, ${s.toFixed(2)} s`;
      if (bar) bar.increment(1, { label: line }); else process.stderr.write(`[gamma] ${line}\n`);
    };
    let result;
    try {
      result = gammaSweep(model, data, depths, { optimizer, maxIterations, tol, onLevel });
    } finally { bar?.stop(); }
    const { levels, evidence: e } = result;
    const failed = levels.filter((l) => !l.converged);
    // exit 2 writes nothing, as with --out: a partial table on disk would outlive the warning
    if (csv !== undefined && !failed.length) writeFileAtomic(csv, csvOf(levels, e));
    const rates = Object.entries(e.certificates).map(([k, c]) => ({ quantity: k, certificate: c!, text: describeCertificate(c!) }));
    const summary = {
      data: data.source, optimizer, kappa: model.kappa, regK: model.regK, regB: model.regB,
      partial: failed.length > 0, levels: e.levels,
      energyCauchy: e.energyCauchy, minimiserL2: e.minimiserL2, minimiserSup: e.minimiserSup, readoutCauchy: e.readoutCauchy,
      neumann: e.neumann, rates: rates.map((r) => ({ quantity: r.quantity, verdict: r.certificate.verdict, slope: r.certificate.slope, ci: r.certificate.ci, text: r.text })),
    };
    if (json) {
      console.log(JSON.stringify(summary, null, 2));
    } else {
      console.log(`data: ${data.source}; optimizer ${optimizer}; κ = ${model.kappa}; λ = ${model.regK.ridge}, μ = ${model.regK.smooth}; stop: n·‖∇E_n‖∞ ≤ ${tol} or ${maxIterations} iterations`);
      console.log(table(['n', 'iter', 'evals', 'stop', 'E_n*', 'n‖∇E‖∞', '|E_n−E_2n|', 'L² dist', 'sup dist', 'n(θ₁−θ₀)', 's'],
        levels.map((l, i) => [
          String(l.n), String(l.iterations), String(l.evaluations), l.converged ? 'tol' : `${l.reason} (PARTIAL)`,
          l.energy.toPrecision(10), fmt(l.scaledGradient),
          i < e.energyCauchy.length ? fmt(e.energyCauchy[i]!) : '', i < e.minimiserL2.length ? fmt(e.minimiserL2[i]!) : '',
          i < e.minimiserSup.length ? fmt(e.minimiserSup[i]!) : '', fmt(e.neumann[i]!), (seconds.get(l.n) ?? NaN).toFixed(3),
        ])));
      for (const r of rates) console.log(`${r.quantity}: ${r.text}`);
    }
    if (failed.length) {
      throw new UserError(`${failed.length} level(s) did not reach the stopping rule (n = ${failed.map((l) => `${l.n}: ${l.reason}`).join(', ')}); the results above are partial${outDir !== undefined || csv !== undefined ? ` (nothing written to ${[outDir, csv].filter((p) => p !== undefined).map((p) => quote(p!, 60)).join(' or ')})` : ''}`);
    }
    if (outDir === undefined) return 0;
    const [{ writeCommandOutputs, commandOutputsLine }, G] = await Promise.all([import('../report/outputs.ts'), import('../figures/gamma.ts')]);
    const figures = [
      { figure: 'gamma-energy-convergence', data: G.energyLadders(e), caption: 'Minimal energies as depth doubles, with certified rates.' },
      { figure: 'gamma-minimiser-convergence', data: G.minimiserLadders(e), caption: 'Distances between the interpolated minimisers of consecutive depths.' },
      { figure: 'gamma-neumann', data: G.neumannLadders(e), caption: 'Boundary difference quotients n(θ₁ − θ₀) (natural boundary condition) and an interior one.' },
      // at most about five overlaid profiles stay readable
      { figure: 'gamma-minimiser-profiles', data: G.profilesOf(e, Math.max(1, Math.ceil(e.profiles.length / 5))), caption: 'Minimisers K_n(t) at several depths, overlaid.' },
      { figure: 'gamma-iterations', data: G.iterationsOf([{ label: `${optimizer === 'h1' ? 'H¹' : 'plain'} L-BFGS`, levels }]), caption: 'L-BFGS iterations per depth.' },
    ];
    const w = await writeCommandOutputs(outDir, 'gamma', summary, figures, { formats });
    writeFileAtomic(join(outDir, 'gamma.csv'), csvOf(levels, e));
    (json ? process.stderr : process.stdout).write(`${commandOutputsLine(w)}; per-depth table in ${join(outDir, 'gamma.csv')}\n`);
    return w.figures.staticExport === 'failed' ? 1 : 0;
  },
};
