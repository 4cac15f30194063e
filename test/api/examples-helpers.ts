/**
 * Doc examples that cannot rot: every `@example` in the public modules (the files src/index.ts
 * re-exports from) is a fenced ```ts block whose `//> ` lines state, in order, what its
 * console.log calls print. `runExample` runs the rest of the block as a module (with
 * 'depthlimit' mapped to src/index.ts) in this process and returns what it printed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const INDEX = join(ROOT, 'src', 'index.ts');

export interface DocExample {
  /** Where: file and the declaration the comment documents. */
  where: string;
  code: string;
  expected: string[];
}

/** Exported names of src/index.ts → the module (path from ROOT) that declares them, and whether each is a type. */
export function publicExports(indexText = readFileSync(INDEX, 'utf8')): { name: string; local: string; module: string; type: boolean }[] {
  const out: { name: string; local: string; module: string; type: boolean }[] = [];
  for (const m of indexText.matchAll(/export\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)) {
    const module = join('src', m[3]!);
    for (const raw of m[2]!.split(',').map((s) => s.trim()).filter(Boolean)) {
      const type = Boolean(m[1]) || raw.startsWith('type ');
      const [local, name] = raw.replace(/^type\s+/, '').split(/\s+as\s+/) as [string, string | undefined];
      out.push({ name: name ?? local, local, module, type });
    }
  }
  return out;
}

/** JSDoc blocks of a source text, each with the name of the declaration that follows it. */
export function docBlocks(text: string): { name: string; doc: string }[] {
  const out: { name: string; doc: string }[] = [];
  for (const m of text.matchAll(/\/\*\*([\s\S]*?)\*\/\s*(?:export\s+)?(?:declare\s+)?(?:async\s+)?(?:function|class|interface|type|const|let|readonly)?\s*([A-Za-z_$][\w$]*)/g)) {
    const doc = m[1]!.split('\n').map((l) => l.replace(/^\s*\* ?/, '')).join('\n');
    out.push({ name: m[2]!, doc });
  }
  return out;
}

/** The ```ts blocks after each @example tag of a doc comment. */
export function examplesOf(doc: string, where: string): DocExample[] {
  const out: DocExample[] = [];
  for (const part of doc.split(/^@example\b.*$/m).slice(1)) {
    const body = part.split(/^@\w+/m)[0]!;
    const fence = /```(?:ts|js|typescript|javascript)?\n([\s\S]*?)```/.exec(body);
    if (!fence) { out.push({ where, code: '', expected: ['(no ```ts block in this @example)'] }); continue; }
    const lines = fence[1]!.split('\n');
    out.push({
      where,
      code: lines.filter((l) => !/^\s*\/\/>/.test(l)).join('\n'),
      expected: lines.filter((l) => /^\s*\/\/>/.test(l)).map((l) => l.replace(/^\s*\/\/> ?/, '')),
    });
  }
  return out;
}

/** Every @example in the modules src/index.ts re-exports from (and in src/index.ts itself). */
export function publicExamples(): DocExample[] {
  const modules = [...new Set(publicExports().map((e) => e.module)), join('src', 'index.ts')];
  return modules.flatMap((mod) => docBlocks(readFileSync(join(ROOT, mod), 'utf8'))
    .flatMap((b) => examplesOf(b.doc, `${mod} (${b.name})`)));
}

/** Run one example's code as a module; returns the lines its console.log calls printed. */
export async function runExample(code: string): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'depthlimit-example-'));
  const file = join(dir, 'example.mts'); // .mts: ESM, so an example may use top-level await
  writeFileSync(file, code.replace(/from\s+'depthlimit'/g, `from '${pathToFileURL(INDEX).href}'`));
  const printed: string[] = [];
  const log = console.log;
  // util.format is what console.log prints (without colours)
  console.log = (...args: unknown[]) => { printed.push(format(...args)); };
  try {
    await import(pathToFileURL(file).href);
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
  return printed.flatMap((p) => p.split('\n'));
}
