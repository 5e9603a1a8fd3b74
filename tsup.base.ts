import { defineConfig, type Options } from 'tsup'

/**
 * The build every published package shares: ESM + CJS with matching `.d.ts`/`.d.cts`,
 * source maps, tree-shaken, for Node 20. Each package names only its entry points.
 */
export function packageBuild(entry: Record<string, string>): Options | Options[] {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    splitting: true,
    treeshake: true,
  }) as Options | Options[]
}
