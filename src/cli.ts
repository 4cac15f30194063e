/**
 * The `depthlimit` command line. Bad input (a UserError or a rejected option) prints one line
 * `depthlimit: error: ...` and exits 2; any other exception is a bug and exits 1 with a stack.
 */
import { parseArgs } from 'node:util';
import { quote, UserError } from './util/errors.ts';
import { packageInfo } from './util/package-root.ts';
import { commands } from './commands/index.ts';
import { rejectEmptyValues, rejectRepeatedOptions } from './commands/args.ts';
import type { CommandSpec, OptionSpec } from './commands/spec.ts';

const GLOBAL: Record<string, OptionSpec> = {
  help: { type: 'boolean', short: 'h', description: 'show help for the command' },
  json: { type: 'boolean', description: 'machine-readable JSON on stdout' },
};

function helpFor(c: CommandSpec): string {
  const opts = { ...c.options, ...GLOBAL } as CommandSpec['options'];
  const width = Math.max(...Object.keys(opts).map((k) => k.length)) + 4;
  const lines = Object.entries(opts).map(([k, o]) => {
    const name = `--${k}${o.type === 'string' ? ' <v>' : ''}`;
    const def = o.default !== undefined ? ` (default ${String(o.default)})` : '';
    return `    ${o.short ? `-${o.short}, ` : '    '}${name.padEnd(width + 6)}${o.description}${def}`;
  });
  return [
    `depthlimit ${c.name}: ${c.summary}`, '', `  Usage: depthlimit ${c.usage}`, '', '  Options:',
    ...lines, ...(c.examples.length ? ['', '  Examples:', ...c.examples.map((e) => `    $ depthlimit ${e}`)] : []), '',
  ].join('\n');
}

function mainHelp(): string {
  const w = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    'depthlimit: deep neural networks as differential equations', '',
    '  Usage: depthlimit <command> [options]    (depthlimit <command> --help for details)',
    '         depthlimit --version', '',
    '  Commands:', ...commands.map((c) => `    ${c.name.padEnd(w)}${c.summary}`), '',
  ].join('\n');
}

/**
 * `--g "-gamma*z^3"`: parseArgs refuses a value that starts with '-' as ambiguous, but
 * expressions often do. A string option always takes the next token as its value, so join
 * them as `--g=-gamma*z^3` before parsing.
 */
function attachValues(args: string[], cmd: CommandSpec): string[] {
  const all: Record<string, OptionSpec> = { ...cmd.options, ...GLOBAL };
  const takesValue = (tok: string): boolean => {
    if (tok.startsWith('--')) return all[tok.slice(2)]?.type === 'string';
    if (/^-[A-Za-z]$/.test(tok)) return Object.values(all).some((o) => o.short === tok[1] && o.type === 'string');
    return false;
  };
  // a name of this command's options is never a value: '--out --json' forgot the folder (it
  // wrote into ./--json)
  const isOption = (tok: string): boolean => {
    const long = /^--([^=]+)/.exec(tok);
    if (long) return Object.hasOwn(all, long[1]!);
    return /^-[A-Za-z]$/.test(tok) && Object.values(all).some((o) => o.short === tok[1]);
  };
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const tok = args[i]!;
    if (tok === '--') { out.push(...args.slice(i)); break; }
    if (!tok.includes('=') && takesValue(tok) && i + 1 < args.length && isOption(args[i + 1]!)) {
      throw new UserError(`${tok} needs a value, got the option ${quote(args[i + 1]!)}`);
    }
    if (!tok.includes('=') && takesValue(tok) && i + 1 < args.length) {
      out.push(tok.startsWith('--') ? `${tok}=${args[i + 1]!}` : tok, ...(tok.startsWith('--') ? [] : [args[i + 1]!]));
      i++;
    } else out.push(tok);
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(mainHelp());
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`${packageInfo().version}\n`);
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) throw new UserError(`unknown command ${quote(name)} (try: ${commands.map((c) => c.name).join(', ')})`);
  const options = Object.fromEntries(
    Object.entries({ ...cmd.options, ...GLOBAL }).map(([k, o]) => [
      k, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}),
        ...(o.default !== undefined ? { default: o.default } : {}) },
    ]),
  ) as NonNullable<Parameters<typeof parseArgs>[0]>['options'];
  let parsed;
  try {
    parsed = parseArgs({ args: attachValues(rest, cmd), options, strict: true, allowPositionals: cmd.positionals === 'any', tokens: true });
  } catch (e) {
    throw new UserError(`${name}: ${(e as Error).message.split('\n')[0]}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values['help']) {
    process.stdout.write(helpFor(cmd));
    return 0;
  }
  rejectRepeatedOptions(parsed.tokens, options);
  rejectEmptyValues(values, parsed.positionals);
  const code = await cmd.run(values, parsed.positionals);
  return typeof code === 'number' ? code : 0;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    process.exitCode = await main(argv);
  } catch (e) {
    if (e instanceof UserError) {
      process.stderr.write(`depthlimit: error: ${e.message.split('\n')[0]}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`depthlimit: internal error (a bug): ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 1;
    }
  }
}

const isMain = process.argv[1] && /[\\/]src[\\/]cli\.ts$/.test(process.argv[1]);
if (isMain) await runCli(process.argv.slice(2));
