/**
 * `npm start`'s options (src/main.ts), parsed and checked before anything runs or is written: a
 * light module of its own, so `npm start -- --help` and the checks can be tested in-process.
 */
import { parseArgs } from 'node:util';
import { integerIn, rejectEmptyValues, rejectRepeatedOptions, seedOf } from './commands/args.ts';
import { DEFAULT_CACHE_DIR } from './util/cache.ts';
import { UserError } from './util/errors.ts';
import { DEFAULT_SEED } from './util/prng.ts';

export const START_USAGE = [
  'npm start: every derivation, notebook, claim (C1…C39 with negative controls) and figure, the API reference and out/report.html', '',
  '  Usage: npm start [-- [--quick] [--out DIR] [--seed N] [--workers N] [--cache DIR | --no-cache]]', '',
  '  Options:',
  '    --quick          test-sized runs (default: full, figure-quality sizes)',
  '    --out DIR        output folder (default out)',
  `    --seed N         PRNG seed, an integer 0 … 4294967295 (default ${DEFAULT_SEED})`,
  '    --workers N      worker threads for notebooks and claims, 1 … 256 (default: one per core)',
  `    --cache DIR      result cache folder (default ${DEFAULT_CACHE_DIR})`,
  '    --no-cache       neither read nor write the result cache',
  '    -h, --help       show this help', '',
].join('\n');

export interface StartOptions {
  outDir: string;
  seed: number;
  mode: 'quick' | 'full';
  /** undefined: one per core. */
  workers: number | undefined;
  /** null: --no-cache. */
  cacheDir: string | null;
}

/** The options of `npm start`, or 'help'; UserError (one line) on anything else. */
export function parseStartArgs(argv: string[]): StartOptions | 'help' {
  let values, tokens;
  try {
    ({ values, tokens } = parseArgs({
      args: argv, strict: true, tokens: true,
      options: {
        quick: { type: 'boolean' }, out: { type: 'string', default: 'out' }, seed: { type: 'string', default: String(DEFAULT_SEED) },
        workers: { type: 'string' }, cache: { type: 'string', default: DEFAULT_CACHE_DIR }, 'no-cache': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (e) {
    throw new UserError((e as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  if (values.help) return 'help';
  rejectRepeatedOptions(tokens);
  rejectEmptyValues(values);
  return {
    outDir: values.out ?? 'out',
    seed: seedOf(values.seed),
    mode: values.quick ? 'quick' : 'full',
    workers: values.workers === undefined ? undefined : integerIn(values.workers, '--workers', 1, 256),
    // --no-cache: nothing read from or written to the folder (results still shared within the run)
    cacheDir: values['no-cache'] ? null : values.cache ?? DEFAULT_CACHE_DIR,
  };
}
