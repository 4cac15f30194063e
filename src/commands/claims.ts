/**
 * `depthlimit claims`: the built-in registry (C1…C39) or, with --file, a researcher's own claims,
 * through the one runner (src/claims/run.ts). Heavy modules (the registry reaches the symbolic
 * and numeric trees) load inside `run`.
 */
import type { Claim } from '../claims/types.ts';
import { table } from '../util/format.ts';
import { DEFAULT_SEED } from '../util/prng.ts';
import { seedOf } from './args.ts';
import { flag, str, type CommandSpec } from './spec.ts';

export const command: CommandSpec = {
  name: 'claims',
  summary: 'run the claim registry (C1…C39) or your own claims (--file): verdicts, measured vs expected, negative controls',
  usage: 'claims [--file my-claims.js] [--only C12,C13] [--full] [--list] [--seed N] [--json]',
  options: {
    file: {
      type: 'string',
      description: 'run the claims this .js/.mjs/.ts/.mts file exports (made by defineClaim: a default array, `claims`, or one claim per export) instead of the built-in registry, which is then not run',
    },
    only: { type: 'string', description: 'comma-separated claim ids to run (case-insensitive)' },
    full: { type: 'boolean', description: 'full mode (figure-quality sizes) instead of quick' },
    list: { type: 'boolean', description: 'list the claims without running them' },
    seed: { type: 'string', description: 'PRNG seed', default: String(DEFAULT_SEED) },
  },
  examples: ['claims', 'claims --only C12,C13 --json', 'claims --list', 'claims --file my-claims.js', 'claims --file my-claims.ts --only euler-order --json'],
  async run(opts) {
    const [{ controlCell, outcomeCells, runClaims, selectClaims, standingProblem }, { claimKey }] = await Promise.all([import('../claims/run.ts'), import('../claims/types.ts')]);
    const seed = seedOf(str(opts, 'seed'));
    const json = flag(opts, 'json');
    const file = str(opts, 'file');
    let registry: Claim[];
    if (file !== undefined) {
      const { loadUserModule } = await import('../util/user-module.ts');
      const { claimsOfModule } = await import('../claims/user.ts');
      registry = claimsOfModule(await loadUserModule(file, '--file'), file);
    } else {
      registry = (await import('../claims/index.ts')).allClaims();
    }
    const claims = selectClaims(registry, str(opts, 'only'));
    if (flag(opts, 'list')) {
      const rows = claims.map((c) => [claimKey(c), c.family, c.title]);
      if (json) console.log(JSON.stringify(rows.map(([key, family, title]) => ({ key, family, title }))));
      else console.log(table(['claim', 'family', 'title'], rows));
      return 0;
    }
    const results = await runClaims(claims, {
      mode: flag(opts, 'full') ? 'full' : 'quick', seed,
      onProgress: (e) => { if (!json && !e.result) process.stderr.write(`running ${e.key} ...\n`); },
    });
    const problems = results.map(standingProblem).filter((p): p is string => p !== undefined);
    if (json) {
      console.log(JSON.stringify(results.map((r) => ({
        key: r.key, title: r.claim.title, source: r.claim.source, statement: r.claim.statement,
        goodStanding: standingProblem(r) === undefined,
        evidence: r.evidence, negativeControl: { description: r.claim.negativeControl.description, evidence: r.control },
        seconds: r.seconds,
      })), null, 2));
    } else {
      console.log(table(
        ['claim', 'verdict', 'measured', 'expected', 'tolerance', 'control', 'title'],
        results.map((r) => [r.key, ...outcomeCells(r.evidence), controlCell(r.control), r.claim.title]),
      ));
      if (problems.length) console.log(['', 'not in good standing:', ...problems.map((p) => `  ${p}`), ''].join('\n'));
      console.log(`${results.length - problems.length}/${results.length} claims hold with failing negative controls`);
    }
    return problems.length ? 1 : 0;
  },
};
