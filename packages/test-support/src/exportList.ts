import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

/**
 * The entry files of a package, from its `package.json` `exports` map: the `@redress/source`
 * target of every subpath but `./package.json`, in the map's order. Reading them from the map
 * (rather than listing them in each test) means a new subpath is snapshotted the day it ships.
 *
 * @param packageJson URL of the package's `package.json`
 * @throws {Error} when a subpath has no `@redress/source` condition
 */
export function sourceEntries(packageJson: URL): URL[] {
  const { exports } = JSON.parse(readFileSync(packageJson, 'utf8')) as { exports?: Record<string, unknown> }
  const entries: URL[] = []
  for (const [subpath, target] of Object.entries(exports ?? {})) {
    if (subpath === './package.json') continue
    const source =
      typeof target === 'object' && target !== null ? (target as Record<string, unknown>)['@redress/source'] : target
    if (typeof source !== 'string' || !source.endsWith('.ts')) {
      throw new Error(`sourceEntries: ${subpath} of ${fileURLToPath(packageJson)} has no @redress/source .ts target`)
    }
    entries.push(new URL(source, packageJson))
  }
  return entries
}

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
  const { files, program, checker } = compile(entries)
  const out: Record<string, ExportList> = {}
  for (const file of files) {
    const values: string[] = []
    const types: string[] = []
    for (const symbol of exportsOf(program, checker, file)) {
      const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
      ;(target.flags & ts.SymbolFlags.Value ? values : types).push(symbol.getName())
    }
    out[file.slice(file.lastIndexOf('/packages/') + 1)] = { values: values.sort(), types: types.sort() }
  }
  return out
}

/**
 * The declarations of the workspace's own source that the shipped `.d.ts` of these entry points
 * reach but that none of them exports, sorted, as `name (path)`: types a consumer meets in a
 * signature (a parameter, a member, an `extends`/`implements`) and cannot name. Each one is an
 * internal leaking into the public declarations, or a public type missing from an `index.ts`.
 *
 * It follows what declaration emit keeps: the types written in exported signatures and in the
 * non-private members of exported classes and interfaces (the packages use
 * `isolatedDeclarations`, so every exported signature is written out), never function bodies,
 * private members (`#x`, or `private`, whose parameters a `.d.ts` drops) nor the implementation
 * signature of an overloaded function.
 *
 * @param entries absolute paths or `file:` URLs of the entry files of one package
 */
export function internalsReachable(entries: readonly (string | URL)[]): string[] {
  const { files, program, checker } = compile(entries)
  // Only this package's own declarations: a type of a dependency (`@redress/core`'s, read from its
  // source here) is imported by the `.d.ts`, and whether that package exports it is its own check.
  const own = (fileName: string): boolean => files.some((f) => fileName.startsWith(packageSourceDir(f)))
  const exported = new Set<ts.Symbol>()
  for (const file of files) {
    for (const symbol of exportsOf(program, checker, file)) exported.add(resolved(checker, symbol))
  }
  const queue = [...exported]
  const seen = new Set<ts.Symbol>(queue)
  const internals = new Set<string>()
  const reach = (name: ts.Node): void => {
    // `typeof ErrorClass.TRANSIENT`, `ns.Type`: what a consumer must be able to name is the left end.
    let left = name
    while (ts.isQualifiedName(left) || ts.isPropertyAccessExpression(left)) {
      left = ts.isQualifiedName(left) ? left.left : left.expression
    }
    const found = checker.getSymbolAtLocation(left)
    if (found === undefined) return
    const symbol = resolved(checker, found)
    if (seen.has(symbol)) return
    seen.add(symbol)
    const declarations = symbol.declarations ?? []
    // Another package's name, or one this package only augments (`declare module 'undici'`).
    if (!declarations.every((d) => own(d.getSourceFile().fileName))) return
    if (declarations.length === 0 || symbol.flags & ts.SymbolFlags.TypeParameter) return
    const where = declarations[0]?.getSourceFile().fileName ?? ''
    internals.add(`${symbol.getName()} (${where.slice(where.lastIndexOf('/packages/') + 1)})`)
    queue.push(symbol)
  }
  const walk = (node: ts.Node): void => {
    if (isHidden(checker, node)) return
    if (ts.isTypeReferenceNode(node)) reach(node.typeName)
    else if (ts.isExpressionWithTypeArguments(node)) reach(node.expression)
    else if (ts.isTypeQueryNode(node)) reach(node.exprName)
    ts.forEachChild(node, walk)
  }
  for (let symbol = queue.shift(); symbol !== undefined; symbol = queue.shift()) {
    for (const declaration of symbol.declarations ?? []) {
      if (own(declaration.getSourceFile().fileName)) walk(declaration)
    }
  }
  return [...internals].sort()
}

/** True for a node a `.d.ts` does not carry: a body, an initializer beside a written type, a private member. */
function isHidden(checker: ts.TypeChecker, node: ts.Node): boolean {
  if (ts.isBlock(node)) return true
  const parent = node.parent as ts.Node | undefined
  if (parent !== undefined && ts.isArrowFunction(parent) && parent.body === node) return true
  if (
    parent !== undefined &&
    (ts.isVariableDeclaration(parent) || ts.isPropertyDeclaration(parent) || ts.isParameter(parent)) &&
    parent.initializer === node &&
    parent.type !== undefined
  ) {
    return true
  }
  if (ts.isClassElement(node) || ts.isTypeElement(node)) {
    if (node.name !== undefined && ts.isPrivateIdentifier(node.name)) return true
    if (ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.PrivateKeyword)) {
      return true
    }
  }
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node)) && checker.isImplementationOfOverload(node)) {
    return true
  }
  return false
}

/** `/…/packages/<name>/src/` of an entry file. */
function packageSourceDir(entry: string): string {
  const at = entry.lastIndexOf('/src/')
  if (at === -1) throw new Error(`internalsReachable: ${entry} is not under a src/ directory`)
  return entry.slice(0, at + '/src/'.length)
}

function resolved(checker: ts.TypeChecker, symbol: ts.Symbol): ts.Symbol {
  return symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
}

interface Compiled {
  readonly files: string[]
  readonly program: ts.Program
  readonly checker: ts.TypeChecker
}

// One program per set of entries: a package's two tests read the same one (building it is most
// of their time).
const compiled = new Map<string, Compiled>()

function compile(entries: readonly (string | URL)[]): Compiled {
  const files = entries.map((e) => (typeof e === 'string' ? e : fileURLToPath(e)))
  const key = files.join('\n')
  const known = compiled.get(key)
  if (known !== undefined) return known
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
  const made: Compiled = { files, program, checker: program.getTypeChecker() }
  compiled.set(key, made)
  return made
}

function exportsOf(program: ts.Program, checker: ts.TypeChecker, file: string): ts.Symbol[] {
  const source = program.getSourceFile(file)
  if (source === undefined) throw new Error(`exportLists: cannot read ${file}`)
  const moduleSymbol = checker.getSymbolAtLocation(source)
  return moduleSymbol === undefined ? [] : checker.getExportsOfModule(moduleSymbol)
}
