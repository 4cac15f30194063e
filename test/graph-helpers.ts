/** The static import graph of an entry module, from esbuild's metafile (the resolver the build uses). */
import { build } from 'esbuild';

/** Heavy packages: none may load when the CLI starts or the package is imported (except where stated). */
export const HEAVY = /^(mathjs|nerdamer|algebrite|katex|playwright-core|plotly\.js-dist-min|mathjax|cli-progress)(\/|$)/;

/** Every file reached from `entry` through static imports (a dynamic import() loads when called). */
export async function staticGraph(entry: string): Promise<Set<string>> {
  const r = await build({
    entryPoints: [entry], bundle: true, write: false, metafile: true, format: 'esm', platform: 'node',
    packages: 'external', outdir: 'unused', splitting: true, logLevel: 'silent',
  });
  const inputs = r.metafile.inputs;
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const i of inputs[f]?.imports ?? []) if (i.kind === 'import-statement') stack.push(i.path);
  }
  return seen;
}
