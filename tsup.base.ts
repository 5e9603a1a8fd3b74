import { readFile } from 'node:fs/promises'
import type { Plugin } from 'esbuild'
import { defineConfig, type Options } from 'tsup'
import ts from 'typescript'

/**
 * The build every published package shares: ESM + CJS with matching `.d.ts`/`.d.cts`,
 * source maps, tree-shaken, for Node 20. Each package names only its entry points.
 *
 * The maps carry no `sourcesContent`: the tarball ships `src/` once and the maps point at it
 * (`../src/…`), instead of every source travelling three times (src/, the ESM maps, the CJS
 * maps). Module-level tables are marked pure so an application importing one name does not
 * pay for every frozen table in the shared chunk (see {@link annotatePureTables}).
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
    esbuildPlugins: [pureTablesPlugin],
    esbuildOptions(options) {
      options.sourcesContent = false
    },
  }) as Options | Options[]
}

/**
 * Calls to these functions have no effect but their result when given plain data, which is all
 * a module-level table passes them. A bundler does not know that, so without a `@__PURE__`
 * annotation it keeps every `const X = Object.freeze({...})` of a chunk, used or not. Besides
 * the globals, core's `optionNames` (each options type's set of known names): a
 * `@__NO_SIDE_EFFECTS__` mark on it would not reach its calls in another chunk.
 */
const PURE_GLOBAL_CALLS = new Set([
  'Object.freeze',
  'Object.values',
  'Object.keys',
  'Object.entries',
  'Object.fromEntries',
  'Promise.resolve',
  'optionNames',
])

/**
 * Puts a `@__PURE__` annotation on every call to {@link PURE_GLOBAL_CALLS} evaluated by the
 * initializer of a top-level `const` (not inside a function or class body, which does not run at
 * load, and never a call in statement position, whose effect might be the point). Nothing else
 * changes and no line moves, so the source maps stay right but for columns after a mark.
 */
export function annotatePureTables(source: string, fileName: string): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
  const starts: number[] = []
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return
    if (ts.isCallExpression(node) && PURE_GLOBAL_CALLS.has(node.expression.getText(file))) {
      starts.push(node.getStart(file))
    }
    ts.forEachChild(node, visit)
  }
  for (const statement of file.statements) {
    if (!ts.isVariableStatement(statement)) continue
    if ((statement.declarationList.flags & ts.NodeFlags.Const) === 0) continue
    for (const declaration of statement.declarationList.declarations) {
      if (declaration.initializer !== undefined) visit(declaration.initializer)
    }
  }
  let out = source
  for (const start of starts.sort((a, b) => b - a)) out = `${out.slice(0, start)}/* @__PURE__ */ ${out.slice(start)}`
  return out
}

const pureTablesPlugin: Plugin = {
  name: 'redress-pure-tables',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      if (args.path.includes('node_modules')) return undefined
      const source = await readFile(args.path, 'utf8')
      return { contents: annotatePureTables(source, args.path), loader: 'ts' }
    })
  },
}
