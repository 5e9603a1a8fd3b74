import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/** One entry point's public names, split by kind, each list sorted. */
export interface ExportList {
  /** Names that exist at run time (functions, classes, constants, enums-as-objects). */
  readonly values: readonly string[]
  /** Names that exist only for the type checker (interfaces, type aliases). */
  readonly types: readonly string[]
}

/**
 * Reads the public names of one or more entry points (TypeScript source files) with the
 * compiler, as a consumer sees them: a class is a value, an interface or a type alias is a
 * type. Used by each package's `exports.test.ts` to snapshot its surface, so every new or
 * removed export shows up as a reviewed diff.
 *
 * @param entries absolute paths or `file:` URLs of the entry files
 */
export function exportLists(entries: readonly (string | URL)[]): Record<string, ExportList> {
  const files = entries.map((e) => (typeof e === 'string' ? e : fileURLToPath(e)))
  const program = ts.createProgram(files, {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    allowImportingTsExtensions: true,
    noEmit: true,
    customConditions: ['@redress/source'],
    skipLibCheck: true,
    types: [],
  })
  const checker = program.getTypeChecker()
  const out: Record<string, ExportList> = {}
  for (const file of files) {
    const source = program.getSourceFile(file)
    if (source === undefined) throw new Error(`exportLists: cannot read ${file}`)
    const moduleSymbol = checker.getSymbolAtLocation(source)
    const values: string[] = []
    const types: string[] = []
    for (const symbol of moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
      ;(target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.getName())
    }
    out[file.slice(file.lastIndexOf('/packages/') + 1)] = { values: values.sort(), types: types.sort() }
  }
  return out
}
