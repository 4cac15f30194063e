import { UserError } from '../util/errors.ts';
import { fmt, table } from '../util/format.ts';
import { DEFAULT_SEED } from '../util/prng.ts';
import { integer } from './args.ts';
import { flag, str, type CommandSpec } from './spec.ts';

export const command: CommandSpec = {
  name: 'claims',
  summary: 'run the claim registry (C1…C39): verdicts, measured vs expected, negative controls',
  usage: 'claims [--only C12,C13] [--full] [--list] [--seed N] [--json]',
  options: {
    only: { type: 'string', description: 'comma-separated claim ids to run' },
    full: { type: 'boolean', description: 'full mode (figure-quality sizes) instead of quick' },
    list: { type: 'boolean', description: 'list registered claims without running them' },
    seed: { type: 'string', description: 'PRNG seed', default: String(DEFAULT_SEED) },
  },
  examples: ['claims', 'claims --only C12,C13 --json', 'claims --list'],
  async run(opts) {
    const { allClaims, inGoodStanding, runClaim } = await import('../claims/index.ts');
    let claims = allClaims();
    const only = str(opts, 'only');
    if (only) {
      const ids = only.split(',').map((s) => s.trim().toUpperCase());
      for (const id of ids) if (!claims.some((c) => c.id === id)) throw new UserError(`no registered claim ${id}`);
      claims = claims.filter((c) => ids.includes(c.id));
    }
    const seed = integer(str(opts, 'seed') ?? String(DEFAULT_SEED), '--seed');
    if (flag(opts, 'list')) {
      const rows = claims.map((c) => [c.part ? `${c.id}/${c.part}` : c.id, c.family, c.title]);
      if (flag(opts, 'json')) console.log(JSON.stringify(rows.map(([key, family, title]) => ({ key, family, title }))));
      else console.log(table(['claim', 'family', 'title'], rows));
      return 0;
    }
    const ctx = { mode: flag(opts, 'full') ? ('full' as const) : ('quick' as const), seed };
    const results = [];
    for (const c of claims) {
      if (!flag(opts, 'json')) process.stderr.write(`running ${c.id}${c.part ? '/' + c.part : ''} ...\n`);
      results.push(await runClaim(c, ctx));
    }
    const bad = results.filter((r) => !inGoodStanding(r));
    if (flag(opts, 'json')) {
      console.log(JSON.stringify(results.map((r) => ({
        key: r.key, title: r.claim.title, source: r.claim.source, statement: r.claim.statement,
        evidence: r.evidence, negativeControl: { description: r.claim.negativeControl.description, evidence: r.control },
        seconds: r.seconds,
      })), null, 2));
    } else {
      console.log(table(
        ['claim', 'verdict', 'measured', 'expected', 'tolerance', 'control', 'title'],
        results.map((r) => [
          r.key, r.evidence.verdict, fmt(r.evidence.measured), fmt(r.evidence.expected),
          r.evidence.tolerance === undefined ? '' : fmt(r.evidence.tolerance),
          r.control.verdict === 'fails' ? 'fails (good)' : `${r.control.verdict} (BAD)`, r.claim.title,
        ]),
      ));
      console.log(`${results.length - bad.length}/${results.length} claims hold with failing negative controls`);
    }
    return bad.length ? 1 : 0;
  },
};
