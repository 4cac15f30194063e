/**
 * The API reference: TypeDoc over the TSDoc of src/index.ts (the public surface), written by
 * `npm start` beside the report as OUT/api/index.html.
 *
 * Deterministic: the same commit gives the same files. No source links (they would carry the
 * git commit), no generation time, and code blocks are not syntax-highlighted: TypeDoc's
 * highlighter (shiki) gives up on a line after 500 ms and leaves the rest uncoloured, which on
 * a loaded machine changed the HTML and CSS between two runs of the same commit.
 * TypeDoc is a development dependency: without it (an installed package) nothing is written
 * and the result says why.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.ts';
import type { ResultCache } from '../util/cache.ts';
import { writeFileAtomic } from '../util/io.ts';

export interface ApiReference {
  /** OUT/api (or undefined when skipped). */
  dir?: string;
  /** TypeDoc's warnings (e.g. a broken {@link}), one line each. */
  warnings: string[];
  /** Why nothing was written. */
  skipped?: string;
}

/**
 * Write the API reference into `dir` (replacing it). With a cache, the files come from the last
 * run whose public source (src/index.ts and all it imports), tsconfigs and TypeDoc/TypeScript
 * versions were the same.
 */
export async function writeApiReference(dir: string, cache?: ResultCache | null): Promise<ApiReference> {
  const root = packageRoot();
  const text = (f: string) => { try { return readFileSync(join(root, f), 'utf8'); } catch { return ''; } };
  const key = cache?.key('api-reference', {
    tsconfig: [text('tsconfig.json'), text('tsconfig.build.json')], typescript: JSON.parse(text('node_modules/typescript/package.json') || '{}').version ?? null,
  }, [join(root, 'src', 'index.ts'), import.meta.url]);
  const hit = key ? cache!.get<{ files: Record<string, string>; warnings: string[] }>(key) : undefined;
  if (hit) {
    rmSync(dir, { recursive: true, force: true });
    for (const [rel, b64] of Object.entries(hit.files)) writeFileAtomic(join(dir, rel), Buffer.from(b64, 'base64'));
    return { dir, warnings: hit.warnings };
  }
  const r = await generate(dir);
  if (key && r.dir) {
    const files: Record<string, string> = {};
    for (const rel of (readdirSync(dir, { recursive: true }) as string[]).sort()) {
      const p = join(dir, rel);
      if (statSync(p).isFile()) files[rel] = readFileSync(p).toString('base64');
    }
    cache!.put(key, { files, warnings: r.warnings });
  }
  return r;
}

async function generate(dir: string): Promise<ApiReference> {
  let typedoc: typeof import('typedoc'), ts: typeof import('typescript');
  try {
    [typedoc, ts] = await Promise.all([import('typedoc'), import('typescript').then((m) => m.default)]);
  } catch {
    return { warnings: [], skipped: 'typedoc is not installed (a development dependency)' };
  }
  const root = packageRoot();
  const entry = join(root, 'src', 'index.ts');
  const warnings: string[] = [];
  const app = await typedoc.Application.bootstrapWithPlugins({
    name: 'depthlimit',
    entryPoints: [entry],
    tsconfig: join(root, 'tsconfig.build.json'),
    readme: 'none',
    disableSources: true,
    disableGit: true,
    excludePrivate: true,
    excludeInternal: true,
    // every language TypeDoc would colour is left plain (see the module comment)
    ignoredHighlightLanguages: ['ts', 'typescript', 'js', 'javascript', 'sh', 'bash', 'json'],
    validation: { notExported: true, invalidLink: true, notDocumented: false },
    logLevel: 'Warn',
    skipErrorChecking: true,
    // The public surface runs in Node and names no DOM type, so TypeDoc's program leaves out
    // lib.dom.d.ts (1.9 MB of the ≈ 8 MB of declarations it parses): byte-identical pages, ≈ 1 s
    // less CPU per cold run (paired medians 8.9 → 7.8 s). Were a DOM type ever named in a public
    // signature, its page would show the bare name instead of a link to MDN (nothing wrong).
    compilerOptions: { lib: ['es2022'] },
  });
  app.logger.log = (message: string, level: number) => {
    // TypeDoc colours its level tag
    if (level >= typedoc.LogLevel.Warn) warnings.push((message.split('\n')[0] ?? message).replace(/\x1b\[[0-9;]*m/g, ''));
  };
  // TypeDoc's own program, but parsed as tsc parses: JSDoc is turned into syntax only in the
  // comments that hold an @link or @see (TypeScript's ParseForTypeErrors mode, tsc's default).
  // TypeDoc reads every comment from the source text itself and asks TypeScript's JSDoc nodes for
  // nothing but {@link} targets, so the pages are byte-identical; TypeScript no longer parses the
  // JSDoc of every declaration in @types/node, plotly and playwright (≈ 0.5 s less CPU per cold run).
  app.getEntryPoints = () => {
    const options = app.options.getCompilerOptions(app.logger);
    const host = ts.createCompilerHost(options);
    host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
    const program = ts.createProgram({ rootNames: app.options.getFileNames(), options, projectReferences: app.options.getProjectReferences(), host });
    const sourceFile = program.getSourceFile(entry);
    return sourceFile && [{ displayName: 'index', sourceFile, program }];
  };
  const project = await app.convert();
  if (!project) return { warnings, skipped: 'TypeDoc could not convert src/index.ts' };
  app.validate(project); // broken {@link}s and types used but not exported become warnings
  rmSync(dir, { recursive: true, force: true });
  await app.generateDocs(project, dir);
  return { dir, warnings };
}
