/**
 * Notebooks in Jupyter, from the same source: a notebook file (notebooks/NAME.ts, or a user's
 * own) is cut into a Jupyter notebook (nbformat 4) that runs cell by cell under the tslab
 * TypeScript kernel. Nothing is kept in a second copy: the .ipynb is written anew from the
 * .ts every time (`npm start` writes out/jupyter/, `npm run jupyter` too), and it loads the
 * .ts files themselves at run time.
 *
 * The cut, read off the TypeScript syntax tree (not regular expressions):
 *   - a setup cell: each `import` becomes a `require` of the same file (TypeScript sources load
 *     through tsx's CommonJS hook; type-only names become `any`, since tslab type-checks each
 *     cell with its own compiler and cannot follow `.ts` import paths), then the module's other
 *     top-level statements (helpers, constants), then `const nb = openJupyterNotebook(…)`: the
 *     same recording context `runNotebook` uses (src/report/notebook.ts), displaying each
 *     block as it is recorded;
 *   - one code cell per `nb.section(…)` of `run`'s body (the statements before the first
 *     section form their own cell). Declarations in `run` become cell-level declarations,
 *     which tslab keeps from cell to cell, so later cells see earlier results as in the file.
 * A `run` that is not a plain method or function with a block body, or a top-level `return`
 * in it, cannot be cut into cells and is refused with the reason.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { UserError } from '../util/errors.ts';
import { writeFileAtomic } from '../util/io.ts';
import { cachedAsync } from '../util/cache.ts';
import type { Notebook } from './notebook.ts';

type TS = typeof import('typescript');

export interface IpynbOptions {
  mode: 'quick' | 'full';
  seed: number;
  /** Folder the .ipynb will be written to: the kernel starts there, imports are made relative to it. */
  ipynbDir: string;
  /** The depthlimit checkout (holds src/ and node_modules/tsx). */
  root: string;
}

interface Cell { cell_type: 'code' | 'markdown'; id: string; metadata: Record<string, unknown>; source: string[]; execution_count?: null; outputs?: unknown[] }

/** `a/b` relative path from `from` to `to`, always starting with `./` or `../` (require needs it). */
function relPath(from: string, to: string): string {
  const r = relative(from, to).split(sep).join('/');
  return r.startsWith('.') ? r : `./${r}`;
}

/** Source text as nbformat's list of lines (each but the last ends in \n). */
function lines(text: string): string[] {
  const ls = text.replace(/\s+$/, '').split('\n');
  return ls.map((l, i) => (i < ls.length - 1 ? `${l}\n` : l));
}

/** Remove the common leading indentation of a block of statements (they were inside `run`). */
function dedent(text: string): string {
  const ls = text.split('\n');
  const ind = Math.min(...ls.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
  return ls.map((l) => l.slice(Number.isFinite(ind) ? ind : 0)).join('\n');
}

/** The statements of the notebook's `run` (method, function or arrow with a block body) and its parameter's name. */
function runBody(ts: TS, sf: import('typescript').SourceFile, file: string): { body: import('typescript').Block; param: string } {
  let found: { body: import('typescript').Block; param: string } | undefined;
  const visit = (n: import('typescript').Node): void => {
    if (found) return;
    if (ts.isCallExpression(n) && ts.isIdentifier(n.expression) && n.expression.text === 'defineNotebook' && n.arguments[0] && ts.isObjectLiteralExpression(n.arguments[0])) {
      for (const p of n.arguments[0].properties) {
        const name = p.name && ts.isIdentifier(p.name) ? p.name.text : undefined;
        if (name !== 'run') continue;
        const fn = ts.isMethodDeclaration(p) ? p
          : ts.isPropertyAssignment(p) && (ts.isFunctionExpression(p.initializer) || ts.isArrowFunction(p.initializer)) ? p.initializer : undefined;
        if (!fn || !fn.body || !ts.isBlock(fn.body)) throw new UserError(`${file}: run must be a method or function with a block body to be cut into Jupyter cells`);
        const param = fn.parameters[0]?.name;
        if (!param || !ts.isIdentifier(param)) throw new UserError(`${file}: run must take the notebook context as one named parameter`);
        found = { body: fn.body, param: param.text };
        return;
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  if (!found) throw new UserError(`${file}: no \`export default defineNotebook({ …, run(nb) { … } })\` found`);
  return found;
}

/** `import … from 'x'` as CommonJS for the kernel: values required, type-only names as `any`. */
function importAsRequire(ts: TS, d: import('typescript').ImportDeclaration, path: string): string {
  const req = `require(${JSON.stringify(path)})`;
  const c = d.importClause;
  if (!c) return `${req};`;
  const out: string[] = [];
  const types: string[] = [];
  if (c.isTypeOnly) {
    if (c.name) types.push(c.name.text);
    if (c.namedBindings && ts.isNamedImports(c.namedBindings)) types.push(...c.namedBindings.elements.map((e) => e.name.text));
  } else {
    if (c.name) out.push(`const ${c.name.text} = ${req}.default;`);
    if (c.namedBindings && ts.isNamespaceImport(c.namedBindings)) out.push(`const ${c.namedBindings.name.text} = ${req};`);
    if (c.namedBindings && ts.isNamedImports(c.namedBindings)) {
      const vals: string[] = [];
      for (const e of c.namedBindings.elements) {
        if (e.isTypeOnly) types.push(e.name.text);
        else vals.push(e.propertyName ? `${e.propertyName.text}: ${e.name.text}` : e.name.text);
      }
      if (vals.length) out.push(`const { ${vals.join(', ')} } = ${req};`);
    }
  }
  for (const t of types) out.push(`type ${t} = any;`);
  return out.join('\n');
}

/**
 * text[start, end) with every shorthand property `{ seed }` written out as `{ seed: seed }`.
 * Why: tslab turns a cell's top-level declarations into `exports.NAME` and rewrites later uses,
 * but not shorthand properties, so `derive(…, { seed })` in a later cell reads an undefined
 * `seed` (ReferenceError).
 */
function expandShorthands(ts: TS, stmts: import('typescript').Statement[], text: string, start: number, end: number): string {
  const at: { pos: number; name: string }[] = [];
  const visit = (n: import('typescript').Node): void => {
    if (ts.isShorthandPropertyAssignment(n) && !n.objectAssignmentInitializer) at.push({ pos: n.name.getEnd(), name: n.name.text });
    ts.forEachChild(n, visit);
  };
  stmts.forEach(visit);
  let out = '', from = start;
  for (const { pos, name } of at.sort((a, b) => a.pos - b.pos)) { out += `${text.slice(from, pos)}: ${name}`; from = pos; }
  return out + text.slice(from, end);
}

/**
 * The Jupyter notebook (nbformat 4.5 JSON object) of a notebook source file. `file` is the
 * .ts/.js path; `meta` its default export (title and summary for the first cell).
 */
export async function notebookToIpynb(file: string, meta: Pick<Notebook, 'name' | 'title' | 'summary'>, opts: IpynbOptions): Promise<object> {
  const ts: TS = (await import('typescript')).default;
  const abs = resolve(file);
  const text = readFileSync(abs, 'utf8');
  const sf = ts.createSourceFile(abs, text, ts.ScriptTarget.Latest, true, abs.endsWith('.js') ? ts.ScriptKind.JS : ts.ScriptKind.TS);
  const { body, param } = runBody(ts, sf, relPath(opts.root, abs));
  const from = (spec: string) => (spec.startsWith('.') ? relPath(opts.ipynbDir, resolve(dirname(abs), spec)) : spec);

  const setup: string[] = [
    `// Generated from ${relative(opts.root, abs)} (edit that file, not this notebook). Runs under the tslab TypeScript kernel;`,
    '// TypeScript sources load through tsx, type-only imports are `any` here.',
    `require(${JSON.stringify(relPath(opts.ipynbDir, join(opts.root, 'node_modules', 'tsx', 'dist', 'cjs', 'api', 'index.cjs')))}).register();`,
  ];
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st)) setup.push(importAsRequire(ts, st, from((st.moduleSpecifier as import('typescript').StringLiteral).text)));
    else if (ts.isExportAssignment(st)) continue; // export default defineNotebook(…): its run is cut into the cells below
    else setup.push(st.getText(sf));
  }
  setup.push(
    `const { openJupyterNotebook } = require(${JSON.stringify(relPath(opts.ipynbDir, join(opts.root, 'src', 'report', 'jupyter-kernel.ts')))});`,
    `const ${param} = openJupyterNotebook(require(${JSON.stringify(relPath(opts.ipynbDir, abs))}).default, { mode: ${JSON.stringify(opts.mode)}, seed: ${opts.seed} });`,
  );

  // cut run's statements at each top-level `param.section(…)`
  const groups: import('typescript').Statement[][] = [[]];
  for (const st of body.statements) {
    if (ts.isReturnStatement(st)) throw new UserError(`${relPath(opts.root, abs)}: a top-level return in run cannot be cut into Jupyter cells`);
    const isSection = ts.isExpressionStatement(st) && ts.isCallExpression(st.expression) && ts.isPropertyAccessExpression(st.expression.expression)
      && ts.isIdentifier(st.expression.expression.expression) && st.expression.expression.expression.text === param && st.expression.expression.name.text === 'section';
    if (isSection && groups[groups.length - 1]!.length) groups.push([]);
    groups[groups.length - 1]!.push(st);
  }
  const code = (src: string, i: number): Cell => ({ cell_type: 'code', id: `code-${i}`, metadata: {}, execution_count: null, outputs: [], source: lines(src) });
  const cells: Cell[] = [
    { cell_type: 'markdown', id: 'title', metadata: {}, source: lines(`# ${meta.title}\n\n${meta.summary}\n\n*Generated from \`${relative(opts.root, abs)}\`, ${opts.mode} mode, seed ${opts.seed}: run the cells in order.*`) },
    code(setup.join('\n'), 0),
    ...groups.filter((g) => g.length).map((g, i) => {
      const start = g[0]!.getFullStart(), end = g[g.length - 1]!.getEnd();
      return code(dedent(expandShorthands(ts, g, text, start, end).replace(/^\s*\n/, '')), i + 1);
    }),
    code(`const record = ${param}.finish(); // the recorded results, shown as a list`, groups.length + 1),
  ];
  return {
    cells,
    metadata: {
      kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
      depthlimit: { notebook: meta.name, source: relPath(opts.root, abs), mode: opts.mode, seed: opts.seed },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

/** Write NAME.ipynb for each notebook into `dir` (atomically). Returns the paths. */
export async function writeJupyterNotebooks(entries: { file: string; notebook: Notebook }[], dir: string, opts: Omit<IpynbOptions, 'ipynbDir'>): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const { file, notebook } of entries) {
    const o = { ...opts, ipynbDir: resolve(dir) }, meta = { name: notebook.name, title: notebook.title, summary: notebook.summary };
    // the cut depends on the notebook file's text alone (not on what it imports) and on this module
    const nb = await cachedAsync('ipynb', { meta, o, file: resolve(file), text: readFileSync(resolve(file), 'utf8') }, import.meta.url, () => notebookToIpynb(file, meta, o));
    const path = join(dir, `${notebook.name}.ipynb`);
    writeFileAtomic(path, `${JSON.stringify(nb, null, 1)}\n`);
    written.push(path);
  }
  return written;
}
