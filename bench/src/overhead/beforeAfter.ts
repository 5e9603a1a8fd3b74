/**
 * Issue 12, before and after: `policy.call` of two builds of `@redress/core` side by side in
 * one process — the success path (an async function that resolves at once) and a call that
 * fails once with `ECONNRESET` and then succeeds — with the overhead benchmark's core method
 * (`coreRunner.ts`): interleaved rounds with the order rotated each round, each batch bracketed
 * by scavenges, CPU ns per call paired by round with a bare `await` (or a hand-written
 * catch-and-call-again), and bytes per call from a second process with a fixed young generation.
 *
 * From `bench/`, after building each tree's core (`pnpm --filter @redress/core run build`):
 *
 *     node --import tsx src/overhead/beforeAfter.ts <before core dist> <after core dist> <before label> <after label>
 *
 * writes `results/before-after.md`. Each dist is a directory holding `index.js` (ESM). Environment:
 * `BENCH_ROUNDS` (default 30), `BENCH_CORE_CALLS` (success-path calls per batch, default 50,000),
 * `BENCH_CORE_FAIL_CALLS` (fails-once calls per batch, default 2,000).
 */

import { writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { loadAverage } from '../loadAverage.ts'
import { positiveEnv } from '../positiveEnv.ts'
import { markdownTable } from '../report/markdownTable.ts'
import { AllocationMeter } from './AllocationMeter.ts'
import type { AllocationResult } from './AllocationResult.ts'
import { type CostRow, costRows } from './CostRow.ts'
import { catchAndCallAgain, failingOnce, fn } from './coreCalls.ts'
import { interleavedRounds, type TimedVariant } from './interleavedRounds.ts'
import { pairedSummary } from './pairedSummary.ts'
import type { RoundCosts } from './RoundCosts.ts'
import type { RoundSummary } from './RoundSummary.ts'
import { runJson } from './runJson.ts'
import type { VariantKind } from './VariantKind.ts'

/** What this script uses of either build's `RetryPolicy`. */
interface CorePolicy {
  call(fn: () => Promise<number>): Promise<unknown>
}
interface CoreModule {
  readonly RetryPolicy: new (options?: { strategy?: () => number }) => CorePolicy
}

/** The two paths measured. */
type Path = 'success' | 'failOnce'

interface Variant {
  readonly name: string
  readonly kind: VariantKind
  readonly path: Path
  readonly call: () => Promise<unknown>
}

const ALLOC_FLAGS = ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64']
/** Calls per allocation sample on the success path (the overhead benchmark's `CORE_ALLOC_CALLS`). */
const ALLOC_CALLS = 10_000
const ALLOC_SAMPLES = 5

async function variantsOf(dists: readonly string[], labels: readonly string[]): Promise<Variant[]> {
  const builds = await Promise.all(
    dists.map(async (dist) => (await import(pathToFileURL(join(resolve(dist), 'index.js')).href)) as CoreModule),
  )
  const variants: Variant[] = [{ name: 'bare await fn()', kind: 'raw', path: 'success', call: () => fn() }]
  builds.forEach((core, i) => {
    const policy = new core.RetryPolicy()
    variants.push({ name: `policy.call, ${labels[i]}`, kind: 'redress', path: 'success', call: () => policy.call(fn) })
  })
  variants.push({
    name: 'bare: catch, call again',
    kind: 'raw',
    path: 'failOnce',
    call: catchAndCallAgain,
  })
  builds.forEach((core, i) => {
    const policy = new core.RetryPolicy({ strategy: () => 0 })
    variants.push({
      name: `policy.call fails once then succeeds, ${labels[i]}`,
      kind: 'redress',
      path: 'failOnce',
      call: () => policy.call(failingOnce()),
    })
  })
  return variants
}

const loop =
  (call: () => Promise<unknown>) =>
  async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await call()
  }

const rounds = positiveEnv('BENCH_ROUNDS', 30)
const calls = positiveEnv('BENCH_CORE_CALLS', 50_000)
const failCalls = positiveEnv('BENCH_CORE_FAIL_CALLS', 2_000)
const callsOf = (path: Path): number => (path === 'success' ? calls : failCalls)

/** Child process: `time` → `(RoundCosts & { path })[]`, `bytes` → `AllocationResult[]`, on stdout. */
async function child(mode: string, dists: readonly string[], labels: readonly string[]): Promise<unknown> {
  const variants = await variantsOf(dists, labels)
  if (mode === 'time') {
    const out: (RoundCosts & { path: Path })[] = []
    for (const path of ['success', 'failOnce'] as const) {
      const timed: TimedVariant[] = variants
        .filter((v) => v.path === path)
        .map((v) => ({ name: v.name, kind: v.kind, batch: loop(v.call) }))
      for (const c of await interleavedRounds(timed, rounds, callsOf(path))) out.push({ ...c, path })
    }
    return out
  }
  const meter = new AllocationMeter()
  const results: AllocationResult[] = []
  for (const v of variants) {
    const n = v.path === 'success' ? Math.min(calls, ALLOC_CALLS) : failCalls
    await loop(v.call)(n)
    results.push({
      variant: v.name,
      kind: v.kind,
      bytesPerOp: await meter.samples(() => loop(v.call)(n), n, ALLOC_SAMPLES),
    })
  }
  return results
}

/** Runs this script again in a child process with `flags` (the measuring modes) and parses its JSON. */
function runSelf<T>(flags: readonly string[], args: readonly string[]): Promise<T> {
  const script = fileURLToPath(import.meta.url)
  return runJson<T>(process.execPath, [...process.execArgv, ...flags, script, ...args], process.env)
}

const spread = (s: RoundSummary, sign = false): string => {
  const f = (v: number): string => `${sign && v > 0 ? '+' : ''}${v.toFixed(0)}`
  return `${f(s.median)} (${f(s.p25)}…${f(s.p75)})`
}
const bytes = (v: number, sign = false): string => `${sign && v > 0 ? '+' : ''}${Math.round(v).toLocaleString('en-US')}`

/** The `results/before-after.md` section. */
function report(
  time: readonly (RoundCosts & { path: Path })[],
  alloc: readonly AllocationResult[],
  labels: readonly string[],
  info: { command: string; loadAtStart: string; loadAtEnd: string; durationS: number },
): string {
  const tables = (['success', 'failOnce'] as const).map((path) => {
    const rows: CostRow[] = costRows(
      time.filter((c) => c.path === path),
      alloc,
      'raw',
    )
    const [, before, after] = rows
    const ratio =
      before === undefined || after === undefined
        ? undefined
        : pairedSummary(after.rounds.cpuNsPerOp, before.rounds.cpuNsPerOp, (a, b) => a / b)
    return {
      ratio,
      table: markdownTable(
        ['variant', 'CPU ns/call', 'CPU ns above baseline', 'wall ns/call', 'bytes/call', 'bytes above baseline'],
        rows.map((r) => [
          r.kind === 'redress' ? `**${r.variant}**` : r.variant,
          spread(r.cpuNs),
          r.kind === 'raw' ? '0 (baseline)' : spread(r.cpuNsAbove, true),
          r.wallNs.median.toFixed(0),
          bytes(r.bytes.median),
          r.kind === 'raw' ? '0 (baseline)' : bytes(r.bytesAbove, true),
        ]),
        ['l', 'r', 'r', 'r', 'r', 'r'],
      ),
    }
  })
  const [success, failOnce] = tables
  const ratio = (r: RoundSummary | undefined): string =>
    r === undefined ? '—' : `${r.median.toFixed(2)}× (${r.p25.toFixed(2)}–${r.p75.toFixed(2)})`
  return `## Before and after (issue 12): \`policy.call\`, first wave against now

The core's \`policy.call\` as the first wave left it (**${labels[0]}**) and as it is now
(**${labels[1]}**), both built with \`tsup\` and loaded from their \`dist/\` into one process, measured
side by side with the method of the overhead benchmark's core table (\`coreRunner.ts\`):
${rounds} interleaved rounds (order rotated each round, each batch bracketed by scavenges).
**Success path**: ${calls.toLocaleString('en-US')} calls per batch of an async function that resolves at once
(\`new RetryPolicy()\`). **Fails once, then succeeds**: ${failCalls.toLocaleString('en-US')} calls per batch of a fresh
function that throws \`ECONNRESET\` on its first attempt (\`new RetryPolicy({ strategy: () => 0 })\`;
neither build waits on a timer for a 0 ms backoff, so a batch can be larger than the overhead
benchmark's 200, which it keeps small for cockatiel's timer). CPU time (\`process.cpuUsage()\`)
per call, median over rounds with the 25th–75th percentiles; "above baseline" is paired by round
with a bare \`await fn()\` (success) or a hand-written \`try { await f() } catch { await f() }\`
(fails once). Bytes per call from a second process (\`--expose-gc --min-semi-space-size=64
--max-semi-space-size=64\`), median of up to ${ALLOC_SAMPLES} collection-free samples of
${Math.min(calls, ALLOC_CALLS).toLocaleString('en-US')} (success) or ${failCalls.toLocaleString('en-US')} (fails once) calls.

Now ÷ first wave, CPU per call paired by round: success path ${ratio(success?.ratio)}, fails once
then succeeds ${ratio(failOnce?.ratio)}. The rewrite was of the success path (a quiet first attempt
with no run behind it); a call that fails still builds the whole run, now at its first failure
(in the first wave, at its start).

**Success path**

${success?.table ?? ''}

**Fails once, then succeeds**

${failOnce?.table ?? ''}

Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; load average ${info.loadAtStart} at the
start and ${info.loadAtEnd} at the end (1 / 5 / 15 min), a shared machine; ${info.durationS.toFixed(0)} s. The first-wave tree
is \`git -C <repo> archive ${labels[0]} | tar -x -C /tmp/firstwave\`, then \`pnpm install --frozen-lockfile\` and
\`pnpm --filter @redress/core run build\` in it (the same for the current tree at ${labels[1]}, in \`/tmp/now\`). Written by:

\`\`\`
${info.command}
\`\`\`
`
}

const [first, ...rest] = process.argv.slice(2)
if (first === 'time' || first === 'bytes') {
  const [beforeDist = '', afterDist = '', beforeLabel = 'before', afterLabel = 'after'] = rest
  const out = await child(first, [beforeDist, afterDist], [beforeLabel, afterLabel])
  process.stdout.write(`${JSON.stringify(out)}\n`)
  process.exit(0)
}
const [beforeDist, afterDist, beforeLabel = 'before', afterLabel = 'after'] = [first, ...rest]
if (beforeDist === undefined || afterDist === undefined)
  throw new TypeError('usage: beforeAfter.ts <before core dist> <after core dist> [before label] [after label]')
const args = [beforeDist, afterDist, beforeLabel, afterLabel]
const loadAtStart = loadAverage()
const started = performance.now()
const time = await runSelf<(RoundCosts & { path: Path })[]>(['--expose-gc'], ['time', ...args])
const alloc = await runSelf<AllocationResult[]>(ALLOC_FLAGS, ['bytes', ...args])
const md = report(time, alloc, [beforeLabel, afterLabel], {
  command: [
    ...['BENCH_ROUNDS', 'BENCH_CORE_CALLS', 'BENCH_CORE_FAIL_CALLS']
      .filter((name) => (process.env[name] ?? '') !== '')
      .map((name) => `${name}=${process.env[name]}`),
    'node --import tsx src/overhead/beforeAfter.ts',
    ...args,
  ].join(' '),
  loadAtStart,
  loadAtEnd: loadAverage(),
  durationS: (performance.now() - started) / 1000,
})
const file = fileURLToPath(new URL('../../results/before-after.md', import.meta.url))
writeFileSync(file, md)
console.log(md)
