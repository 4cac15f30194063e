/**
 * A CLI command is a small declarative object: its options (parsed strictly by node:util
 * parseArgs, so an unknown flag is an error) and a `run` that returns an exit code.
 */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  description: string;
  default?: string | boolean;
  multiple?: boolean;
}

export type Options = Record<string, string | boolean | string[] | boolean[] | undefined>;

export interface CommandSpec {
  name: string;
  summary: string;
  /** e.g. 'derive [--layer ff|residual] [--map "..."] ...' */
  usage: string;
  options: Record<string, OptionSpec>;
  /** Real invocations, shown under --help. */
  examples: string[];
  /** Allowed positional arguments (default: none). */
  positionals?: 'none' | 'any';
  run(opts: Options, positionals: string[]): Promise<number | void> | number | void;
}

/** Read a string option, or undefined. */
export function str(opts: Options, key: string): string | undefined {
  const v = opts[key];
  if (v === undefined || typeof v === 'boolean') return undefined;
  return Array.isArray(v) ? String(v[v.length - 1]) : v;
}

/** Read a boolean flag. */
export function flag(opts: Options, key: string): boolean {
  return opts[key] === true;
}
