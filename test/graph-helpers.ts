/** The static import graph of an entry module, from esbuild's metafile (the resolver the build uses). */
import { build } from 'esbuild';

/** Heavy packages: none may load when the CLI starts or the package is imported (except where stated). */
export const HEAVY = /^(mathjs|nerdamer|algebrite|katex|playwright-core|plotly\.js-dist-min|mathjax|cli-progress)(\/|$)/;

/** Every file reached from `entry` through static imports, with each file's own static imports. */
export async function staticImports(entry: string): Promise<Map<string, string[]>> {
  const r = await build({
    entryPoints: [entry], bundle: true, write: false, metafile: true, format: 'esm', platform: 'node',
    packages: 'external', outdir: 'unused', splitting: true, logLevel: 'silent',
  });
  const inputs = r.metafile.inputs;
  const graph = new Map<string, string[]>();
  const stack = [entry];
  while (stack.length) {
    const f = stack.pop()!;
    if (graph.has(f)) continue;
    // a dynamic import() loads when called, not at start-up
    const imports = (inputs[f]?.imports ?? []).filter((i) => i.kind === 'import-statement').map((i) => i.path);
    graph.set(f, imports);
    stack.push(...imports);
  }
  return graph;
}

/** Every file reached from `entry` through static imports. */
export async function staticGraph(entry: string): Promise<Set<string>> {
  return new Set((await staticImports(entry)).keys());
}
