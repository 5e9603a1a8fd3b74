// The mutation score per module of @redress/core, from the JSON report of `pnpm mutation`
// (StrykerJS, stryker.config.mjs), as the table of the core README's "Mutation score" section.
//
//   pnpm mutation              runs Stryker; writes reports/mutation/mutation.json
//   pnpm mutation:scores       prints the table; exits 1 when a module scores under 90 %
//   pnpm mutation:scores [--partial] <report.json> …
//                              the same from several reports: each source file's mutants come
//                              from the last report that has it, so a run over part of the scope
//                              (REDRESS_MUTATION_REPORTS=reports/mutation/<name> pnpm exec stryker
//                              run stryker.config.mjs --mutate <files>) replaces those files'
//                              results in a full run's. `--partial` prints only the modules the
//                              reports hold, and does not fail for the others.
//
// "Killed" counts the mutants a test caught, by failing or by timing out; "Mutants" also counts
// those that survived and those no test reached. Mutants that do not compile are not counted.
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(fileURLToPath(import.meta.url), '../..')

/** The target of issue 14: every module at 90 % or more. */
const TARGET = 90

/** The modules of the README table, in its order, by the source paths they hold. */
const MODULES = [
  { name: 'decision (`policy/decide.ts`)', holds: (path) => path === 'policy/decide.ts' },
  { name: 'strategies (`strategies/`)', holds: (path) => path.startsWith('strategies/') },
  {
    name: 'classifiers (`classify/`, the HTTP classifiers)',
    holds: (path) =>
      path.startsWith('classify/') ||
      (path.startsWith('http/') && !path.startsWith('http/headers/') && !path.startsWith('http/resume/')),
  },
  { name: 'budgets (`budget/`)', holds: (path) => path.startsWith('budget/') },
  { name: 'breaker (`breaker/`)', holds: (path) => path.startsWith('breaker/') },
  { name: 'HTTP header parsers (`http/headers/`)', holds: (path) => path.startsWith('http/headers/') },
  { name: 'resume parsers (`http/resume/`)', holds: (path) => path.startsWith('http/resume/') },
]

const KILLED = new Set(['Killed', 'Timeout'])
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage'])
const SOURCE = 'packages/core/src/'

const args = process.argv.slice(2)
const partial = args.includes('--partial')
for (const arg of args) {
  if (arg.startsWith('--') && arg !== '--partial') {
    console.error(`mutation-scores: unknown option ${arg} (known: --partial)`)
    process.exit(2)
  }
}
const given = args.filter((arg) => !arg.startsWith('--'))
const reportPaths = given.length === 0 ? [join(root, 'reports/mutation/mutation.json')] : given.map((p) => resolve(p))

/** Each source file's results, by its path under packages/core/src/, from the last report that has it. */
const files = new Map()
for (const reportPath of reportPaths) {
  if (!existsSync(reportPath)) {
    console.error(`${reportPath} not found: run \`pnpm mutation\` first`)
    process.exit(2)
  }
  const report = JSON.parse(readFileSync(reportPath, 'utf8'))
  for (const [file, result] of Object.entries(report.files)) {
    const at = file.indexOf(SOURCE)
    files.set(at === -1 ? file : file.slice(at + SOURCE.length), result)
  }
}

const rows = MODULES.map((module) => ({ ...module, files: 0, mutants: 0, killed: 0 }))
const all = { name: 'all', files: 0, mutants: 0, killed: 0 }
for (const [path, { mutants }] of files) {
  const row = rows.find((r) => r.holds(path))
  if (row === undefined) throw new Error(`${path}: in no module of the table; add it to MODULES`)
  for (const target of [row, all]) {
    target.files++
    for (const mutant of mutants) {
      if (!COUNTED.has(mutant.status)) continue
      target.mutants++
      if (KILLED.has(mutant.status)) target.killed++
    }
  }
}

const score = (r) => (100 * r.killed) / r.mutants
const shown = partial ? rows.filter((r) => r.mutants > 0) : rows
const cells = [...shown, all].map((r) => [
  r.name,
  String(r.files),
  String(r.mutants),
  String(r.killed),
  r.mutants === 0 ? '—' : `${score(r).toFixed(1)} %`,
])
const header = ['Module', 'Files', 'Mutants', 'Killed', 'Score']
const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)))
const line = (c) => `| ${c.map((v, i) => v.padEnd(widths[i])).join(' | ')} |`
console.log(line(header))
console.log(`| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`)
for (const c of cells) console.log(line(c))

const missing = rows.filter((r) => r.mutants === 0)
if (missing.length > 0 && !partial) {
  console.error(`\nnot in the report (a run over part of the scope?): ${missing.map((r) => r.name).join(', ')}`)
  process.exit(1)
}
const under = shown.filter((r) => score(r) < TARGET)
if (under.length > 0) {
  console.error(`\nunder ${TARGET} %: ${under.map((r) => r.name).join(', ')}`)
  process.exit(1)
}
