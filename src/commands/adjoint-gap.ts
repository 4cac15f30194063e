/** `depthlimit adjoint-gap`: |p₀(discrete backprop) − a(0)(continuous costate)| vs depth, per scheme, with a certified order. */
import type { AdjointGapResult } from '../experiments/adjoint-gap.ts';
import { ADJOINT_GAP_DEPTHS } from '../experiments/defaults.ts';
import { SCHEME_NAMES } from '../numeric/schemes/net.ts';
import { firstRepeated, quote, UserError } from '../util/errors.ts';
import { checkOutputDir } from '../util/io.ts';
import { FORMATS, parseFormats } from '../figures/formats.ts';
import { fmt, table } from '../util/format.ts';
import { parseDepths } from './args.ts';
import { adjointGapCost, capDepths, depthsQuantity, withinBudget } from './budget.ts';
import { flag, str, type CommandSpec } from './spec.ts';

export const command: CommandSpec = {
  name: 'adjoint-gap',
  summary: 'gap between discrete backprop p₀ and the continuous costate a(0) as depth grows, with certified orders',
  usage: 'adjoint-gap [--scheme ff|euler|heun|midpoint|rk4|all] [--depths 4,8,...] [--rough] [--tied] [--activation tanh|softplus] [--out DIR] [--json]',
  options: {
    scheme: { type: 'string', description: `comma-separated schemes (${SCHEME_NAMES.join(', ')}) or all`, default: 'all' },
    depths: { type: 'string', description: 'increasing depths N (h = T/N, T = 1): a list 8,16,32 or a doubling range 8..1024', default: ADJOINT_GAP_DEPTHS.join(',') },
    rough: { type: 'boolean', description: 'negative control: alternating-sign weights (the gap must not close)' },
    tied: { type: 'boolean', description: 'weights on the layer nodes, half-step weights by linear interpolation (caps the order at 2)' },
    activation: { type: 'string', description: 'σ of the Runge–Kutta nets (tanh, softplus); ff uses g = −z³/3 unless given' },
    out: { type: 'string', description: 'write adjoint-gap.json (a `figures --from` file) and the adjoint-gap figure to this directory' },
    formats: { type: 'string', description: `figure formats with --out: ${FORMATS.join(',')} (SVG/PNG/PDF need Chromium)`, default: FORMATS.join(',') },
  },
  examples: ['adjoint-gap --scheme euler,rk4 --depths 8,16,32,64,128', 'adjoint-gap --scheme heun --rough', 'adjoint-gap --scheme rk4 --tied', 'adjoint-gap --json', 'adjoint-gap --scheme euler,heun,rk4 --out runs/adjoint'],
  async run(opts) {
    // --out and --formats are checked before any work
    const outDir = str(opts, 'out');
    const formats = parseFormats(str(opts, 'formats') ?? FORMATS.join(','));
    if (outDir !== undefined) checkOutputDir(outDir, '--out');
    const schemeArg = str(opts, 'scheme') ?? 'all';
    const schemes = schemeArg === 'all' ? [...SCHEME_NAMES] : schemeArg.split(',').map((s) => s.trim());
    for (const s of schemes) if (!(SCHEME_NAMES as readonly string[]).includes(s)) throw new UserError(`unknown scheme ${quote(s)} (known: ${SCHEME_NAMES.join(', ')}, all)`);
    const twice = firstRepeated(schemes);
    if (twice !== undefined) throw new UserError(`--scheme lists ${twice} twice`);
    const depths = parseDepths(str(opts, 'depths') ?? ADJOINT_GAP_DEPTHS.join(','));
    if (depths.length < 3) throw new UserError(`--depths: an order needs at least 3 depths, got ${depths.length}`);
    withinBudget([depthsQuantity(depths)], ([n]) => adjointGapCost(capDepths(depths, n!), schemes.length));
    const rough = flag(opts, 'rough'), activation = str(opts, 'activation');
    const params = flag(opts, 'tied') ? ('tied' as const) : ('sampled' as const);
    const [{ default: cliProgress }, { adjointGap }] = await Promise.all([import('cli-progress'), import('../experiments/adjoint-gap.ts')]);
    const tty = process.stderr.isTTY === true;
    const bar = tty ? new cliProgress.SingleBar({ format: 'adjoint-gap [{bar}] {value}/{total} {line}', stream: process.stderr }, cliProgress.Presets.shades_classic) : undefined;
    bar?.start(schemes.length * depths.length, 0, { line: '' });
    const results: AdjointGapResult[] = [];
    try {
      for (const scheme of schemes) {
        results.push(adjointGap({ scheme, depths, rough, params, ...(activation ? { activation } : {}) }, (line) => {
          if (bar) bar.increment(1, { line }); else process.stderr.write(line + '\n');
        }));
      }
    } finally {
      bar?.stop();
    }
    const json = flag(opts, 'json');
    if (json) {
      console.log(JSON.stringify(results, null, 2));
    } else {
      const header = ['N', ...results.map((r) => r.scheme)];
      const rows = depths.map((n, i) => [String(n), ...results.map((r) => fmt(r.gap[i]!, 3))]);
      console.log(`|p₀ − a(0)|_∞${rough ? ' with rough (alternating-sign) weights' : ''}${params === 'tied' ? ', weights tied to the nodes' : ''}, T = 1`);
      console.log(table(header, rows));
      for (const r of results) console.log(`${r.scheme.padEnd(9)} ${r.summary}`);
    }
    // the gap must close at the declared order for smooth weights, and must not for rough ones
    const bad = results.filter((r) => (rough ? r.certificate.verdict !== 'inconclusive' : r.certificate.verdict !== 'order'));
    if (outDir !== undefined) {
      const { writeCommandOutputs, commandOutputsLine } = await import('../report/outputs.ts');
      const figure = { figure: 'adjoint-gap', data: { results }, caption: `Adjoint gap |p₀ − a(0)| against h = T/N${rough ? ' (rough weights: the control)' : ''}; hollow points were dropped by the certificate.` };
      const w = await writeCommandOutputs(outDir, 'adjoint-gap', { results }, [figure], { formats });
      (json ? process.stderr : process.stdout).write(commandOutputsLine(w) + '\n');
      if (w.figures.staticExport === 'failed') return 1;
    }
    return bad.length ? 1 : 0;
  },
};
