/**
 * `depthlimit converge`: run a net at growing depth N, measure |x_N − x(T)| against the ODE
 * (or the modified equation) and certify the order with a confidence interval.
 */
import { SCHEME_NAMES } from '../numeric/schemes/net.ts';
import type { Against, SchemeSweepResult, SweepScheme } from '../experiments/depth-sweep.ts';
import { C12_PROBLEM } from '../experiments/defaults.ts';
import { quote, UserError } from '../util/errors.ts';
import { checkOutputDir } from '../util/io.ts';
import { FORMATS, parseFormats } from '../figures/formats.ts';
import { fmt, table } from '../util/format.ts';
import { finiteNumber, parseConstants, parseDepths, parseList } from './args.ts';
import { capDepths, depthsQuantity, stagesOf, sweepCost, withinBudget } from './budget.ts';
import { flag, str, type CommandSpec, type Options } from './spec.ts';

function ladderTable(r: SchemeSweepResult): string {
  const dropped = new Map(r.certificate.dropped.map((d) => [d.index, d.reason]));
  const rows = r.depths.map((N, i) => {
    const prev = i > 0 ? r.err[i - 1]! : NaN, e = r.err[i]!;
    const slope = i > 0 ? Math.log(prev / e) / Math.log(r.h[i - 1]! / r.h[i]!) : NaN;
    return [String(N), fmt(r.h[i]!), fmt(e, 4), i > 0 ? fmt(prev / e, 3) : '', i > 0 ? slope.toFixed(3) : '', dropped.get(i) ?? 'fit'];
  });
  return table(['N', 'h', 'error', 'ratio', 'local slope', 'used'], rows);
}

/**
 * --x0 sets the dimension d; --A (d×d) and --beta (d entries) must agree with it. The message
 * blames the option the user gave, not a default (the C12 problem, d = 2): `--x0 1` alone used
 * to be reported as a bad --A. A non-square --A is left to parseMatrix's message.
 */
function dimensionsAgree(opts: Options, d: number): void {
  const given = (k: 'A' | 'beta' | 'x0') => str(opts, k) !== command.options[k]!.default;
  const map = str(opts, 'map');
  if (map !== undefined) {
    const m = map.split(';').length;
    if (m === d) return;
    if (!given('x0')) throw new UserError(`--map has ${m} component(s), but the default --x0 (the C12 problem) has ${d}; give an --x0 with ${m} component(s)`);
    throw new UserError(`--map has ${m} component(s), but --x0 has ${d}: the dimensions must agree`);
  }
  const rows = str(opts, 'A')!.split(';').map((r) => r.split(',').length);
  const dimOf = { A: rows.every((n) => n === rows.length) ? rows.length : d, beta: str(opts, 'beta')!.split(/[;,]/).length };
  const shape = { A: `is ${dimOf.A}×${dimOf.A}`, beta: `has ${dimOf.beta} entr${dimOf.beta === 1 ? 'y' : 'ies'}` };
  for (const k of ['A', 'beta'] as const) {
    if (dimOf[k] === d) continue;
    if (!given(k)) throw new UserError(`--x0 has ${d} component(s), but the default --${k} (the C12 problem) ${shape[k]}; give --A and --beta of dimension ${d}, or an --x0 with ${dimOf[k]} components`);
    if (!given('x0')) throw new UserError(`--${k} ${shape[k]}, but the default --x0 (the C12 problem) has ${d} components; give an --x0 with ${dimOf[k]} components`);
    throw new UserError(`--${k} ${shape[k]}, but --x0 has ${d} component(s): the dimensions must agree`);
  }
}

export const command: CommandSpec = {
  name: 'converge',
  summary: 'depth sweep: error of the net vs the ODE (or modified equation) as N grows, with a certified order',
  usage: 'converge [--scheme ff|euler|heun|midpoint|rk4|verlet|map] [--g=-gamma*z^3 --A "..." --beta "..." | --map "..."] [--const gamma=0.5] [--x0 1,-0.5] [--p0 0,0] [--T 1] [--depths 4..65536] [--against ode|modified] [--expect p] [--step-scale c] [--out DIR] [--json]',
  options: {
    scheme: { type: 'string', description: `layer: ${SCHEME_NAMES.join(', ')}, or map (with --map)`, default: 'ff' },
    g: { type: 'string', description: 'elementwise nonlinearity g(z) of dx/dt = A(t)x + β(t) + g(x)', default: C12_PROBLEM.g },
    A: { type: 'string', description: 'A(t): d×d entries in t, rows separated by ";", entries by ","', default: `${C12_PROBLEM.A[0]}, ${C12_PROBLEM.A[1]}; ${C12_PROBLEM.A[2]}, ${C12_PROBLEM.A[3]}` },
    beta: { type: 'string', description: 'β(t): d entries in t, separated by ","', default: C12_PROBLEM.beta.join(', ') },
    map: { type: 'string', description: 'a layer map x⁺ = Φ(x, t, eps) instead: components in x1…xd (x when d = 1), t, eps (= Δt), separated by ";"' },
    const: { type: 'string', description: 'named constants, e.g. gamma=0.5,c=2', default: 'gamma=0.5' },
    x0: { type: 'string', description: 'initial state, comma-separated', default: C12_PROBLEM.x0.join(',') },
    p0: { type: 'string', description: 'initial momentum of --scheme verlet (the Hamiltonian network ẋ = A g(Aᵀp + β), ṗ = −A g(Aᵀx + β) on (x, p)), comma-separated (default 0)' },
    T: { type: 'string', description: 'time horizon (depth N means h = T/N)', default: '1' },
    depths: { type: 'string', description: 'a..b (doubling from a up to b) or an explicit increasing list', default: '4..65536' },
    against: { type: 'string', description: 'ode (declared order of the scheme) or modified (order 2; first-order layers)', default: 'ode' },
    rtol: { type: 'string', description: 'relative tolerance of the DOPRI5 reference', default: '1e-12' },
    'step-scale': { type: 'string', description: 'negative control: each layer steps c·h^q instead of h (c)', default: '1' },
    'step-power': { type: 'string', description: 'negative control: the power q of h in the layer step', default: '1' },
    expect: { type: 'string', description: 'the order to certify (default: the scheme\'s declared order; for --map, inferred from its ε-series)' },
    out: { type: 'string', description: 'write converge.json (a `figures --from` file) and the error-vs-depth figure to this directory' },
    formats: { type: 'string', description: `figure formats with --out: ${FORMATS.join(',')} (SVG/PNG/PDF need Chromium)`, default: FORMATS.join(',') },
  },
  examples: [
    'converge --scheme ff --depths 4..65536',
    'converge --scheme euler --against modified --depths 4..4096',
    'converge --scheme rk4 --depths 4..512 --rtol 1e-13',
    'converge --scheme verlet --depths 4..4096 --p0 0.5,0   (the Hamiltonian network of A, β, g: order 2)',
    'converge --scheme ff --step-scale 2 --depths 4..4096   (negative control: must not certify)',
    'converge --scheme map --map "x + eps*(-x + sin(t))" --x0 1 --depths 8..1024 --against modified',
    'converge --scheme map --map "x + eps/2*((-x) + (-(x + eps*(-x))))" --x0 1 --depths 8..1024   (Heun as a map: order 2, inferred)',
    'converge --scheme map --map "x + eps*(-x)" --x0 1 --expect 2   (a wrong expectation: inconclusive)',
    'converge --scheme ff --depths 4..4096 --out runs/ff',
  ],
  async run(opts) {
    // --out and --formats are checked before any work
    const outDir = str(opts, 'out');
    const formats = parseFormats(str(opts, 'formats') ?? FORMATS.join(','));
    if (outDir !== undefined) checkOutputDir(outDir, '--out');
    const expectText = str(opts, 'expect');
    const expect = expectText === undefined ? undefined : finiteNumber(expectText, '--expect');
    if (expect !== undefined && !(expect > 0)) throw new UserError(`--expect must be a positive order, got ${quote(expectText!)}`);
    const scheme = (str(opts, 'scheme') ?? 'ff') as SweepScheme;
    if (!(['map', ...SCHEME_NAMES] as string[]).includes(scheme)) throw new UserError(`unknown scheme ${quote(scheme)} (known: ${SCHEME_NAMES.join(', ')}, map)`);
    const against = (str(opts, 'against') ?? 'ode') as Against;
    if (against !== 'ode' && against !== 'modified') throw new UserError(`--against must be ode or modified, got ${quote(against)}`);
    const depths = parseDepths(str(opts, 'depths') ?? '4..65536');
    const x0 = parseList(str(opts, 'x0') ?? '', '--x0').map((s, i) => finiteNumber(s, `--x0 component ${i + 1}`));
    const p0Text = str(opts, 'p0');
    if (p0Text !== undefined && scheme !== 'verlet') throw new UserError(`--p0 is the initial momentum of --scheme verlet, not of ${scheme}`);
    const p0 = p0Text === undefined ? undefined : parseList(p0Text, '--p0').map((s, i) => finiteNumber(s, `--p0 component ${i + 1}`));
    const T = finiteNumber(str(opts, 'T') ?? '1', '--T');
    if (T <= 0) throw new UserError(`--T must be positive, got ${T}`);
    const rtol = finiteNumber(str(opts, 'rtol') ?? '1e-12', '--rtol');
    // below ε no step meets the tolerance: DOPRI5 would shrink its steps to its cap, then give up
    if (!(rtol >= Number.EPSILON && rtol < 1e-3)) throw new UserError(`--rtol must lie in [2.2e-16, 1e-3) (2.2e-16: double precision's ε; the reference error is measured, and bottoms out near it anyway), got ${rtol}`);
    const constants = parseConstants(str(opts, 'const'));
    const residual = { scale: finiteNumber(str(opts, 'step-scale') ?? '1', '--step-scale'), power: finiteNumber(str(opts, 'step-power') ?? '1', '--step-power') };
    if (!(residual.scale > 0 && residual.power > 0)) throw new UserError(`--step-scale and --step-power must be positive, got ${residual.scale}, ${residual.power}`);
    const [{ default: cliProgress }, { describeCertificate }, { schemeSweep }, { parseMatrix, parseVector, stateVarsOf }] = await Promise.all([
      import('cli-progress'), import('../numeric/certify.ts'), import('../experiments/depth-sweep.ts'), import('../symbolic/layers.ts'),
    ]);
    const mapText = str(opts, 'map');
    dimensionsAgree(opts, x0.length);
    withinBudget([depthsQuantity(depths)], ([n]) => sweepCost(capDepths(depths, n!), stagesOf(scheme), x0.length, mapText !== undefined));
    const problem = mapText !== undefined
      ? { map: mapText.split(';').map((s) => s.trim()) }
      : {
        g: str(opts, 'g')!,
        // The same matrix/vector syntax as `depthlimit derive` (rows by ';', entries by ',').
        A: parseMatrix(str(opts, 'A')!, x0.length, '--A', stateVarsOf(x0.length)).flat(),
        beta: parseVector(str(opts, 'beta')!, x0.length, '--beta', stateVarsOf(x0.length)),
      };
    const json = flag(opts, 'json');
    const tty = process.stderr.isTTY === true;
    const bar = tty ? new cliProgress.SingleBar({ format: 'converge [{bar}] {value}/{total} depths | N = {N}', stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
    bar?.start(depths.length, 0, { N: '' });
    let result: SchemeSweepResult;
    try {
      result = schemeSweep({
        ...problem, constants, x0, T, scheme, against, depths, reference: { rtol, atol: rtol * 1e-2 }, residual, ...(p0 ? { p0 } : {}),
        ...(expect !== undefined ? { expected: expect } : {}),
        onProgress: (done, total, N, err) => {
          if (bar) bar.update(done, { N });
          else process.stderr.write(`converge: N = ${N} (${done}/${total}) error ${fmt(err)}\n`);
        },
      });
    } finally {
      bar?.stop();
    }
    const c = result.certificate;
    if (json) {
      console.log(JSON.stringify(result, null, 2));
    } else {
      const target = scheme === 'verlet' ? 'the Hamiltonian network ẋ = A g(Aᵀp + β), ṗ = −A g(Aᵀx + β) on (x, p), i.e. d(x, p)/dt = f₁'
        : against === 'ode' ? 'the ODE dx/dt = f₁(x, t)' : 'the modified equation dx/dt = f₁ + h·[f₂ − ½(∂ₓf₁ f₁ + ∂ₜf₁)]';
      const mis = residual.scale !== 1 || residual.power !== 1 ? ` (mis-scaled control: layer step ${residual.scale}·h^${residual.power})` : '';
      console.log(`${scheme} net${mis} vs ${target}, T = ${T}, ${scheme === 'verlet' ? '(x0, p0)' : 'x0'} = (${result.x0.join(', ')})`);
      result.text.f1.forEach((f, i) => console.log(`  f₁[${i + 1}] = ${f}`));
      console.log(`reference: DOPRI5 rtol ${rtol} (${result.reference.steps} steps), error ≤ ${fmt(result.reference.errorEstimate)} (bound from rtol ×10, ×100)`);
      console.log(`expected order: ${result.expectation.text}`);
      console.log(ladderTable(result));
      console.log(`certificate: ${describeCertificate(c)}`);
      console.log(`rule: ${c.rule}`);
    }
    let code = c.verdict === 'inconclusive' ? 1 : 0;
    if (outDir !== undefined) {
      const [{ writeCommandOutputs, commandOutputsLine }, { ladderSeries }] = await Promise.all([import('../report/outputs.ts'), import('../experiments/sweep-trajectory.ts')]);
      const figure = {
        figure: 'error-vs-depth',
        caption: `Error against h = T/N with its certificate; dashed: slope ${result.expected} (expected order: ${result.expectation.source})`,
        data: { title: 'converge', series: [ladderSeries(result)], referenceSlopes: [result.expected] },
      };
      const w = await writeCommandOutputs(outDir, 'converge', { ...result }, [figure], { formats });
      (json ? process.stderr : process.stdout).write(commandOutputsLine(w) + '\n');
      if (w.figures.staticExport === 'failed') code = 1;
    }
    return code;
  },
};
