import { type ChildProcess, fork, spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { SourceMap } from 'node:module'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { markdownTable } from '../report/markdownTable.ts'
import { writeReadme } from '../report/writeReadme.ts'
import { percentile } from '../sim/percentile.ts'
import { barChart } from './barChart.ts'
import { CLIENT_FAMILIES, type ClientFamily } from './ClientFamily.ts'
import type { CoreResult } from './CoreRoundResult.ts'
import { cpuProfileTop, type SelfTime } from './cpuProfileTop.ts'
import type { HttpRoundResult } from './HttpRoundResult.ts'
import { type RoundSummary, summarizeRounds } from './RoundSummary.ts'
import type { TimingResult } from './TimingResult.ts'

// `pnpm bench`: the success-path overhead of redress and its peers, measured on the BUILT
// packages (`pnpm build` runs first). This process only orchestrates: the runners are bundled
// by esbuild with every package left external (so @redress/* resolve to dist/, with no
// keepNames), and run in child processes of their own, against a server in another one.

const env = (name: string, fallback: number): number => {
  const v = Number(process.env[name] ?? fallback)
  if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number, got ${process.env[name]}`)
  return v
}
const ROUNDS = env('BENCH_ROUNDS', 7)
const REQUESTS = env('BENCH_REQUESTS', 2000)
const CONCURRENCY = env('BENCH_CONCURRENCY', 8)
const CORE_CALLS = env('BENCH_CORE_CALLS', 100_000)
const TIMING_SAMPLES = env('BENCH_TIMING_SAMPLES', 20)
const TARGET_RATIO = 0.97
const TARGET_NS = 150

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const resultsDir = join(benchDir, 'results')
// Inside node_modules, so the bundles' bare imports resolve from bench/node_modules, and git ignores them.
const outDir = join(benchDir, 'node_modules', '.cache', 'overhead')
const startedAt = performance.now()
const progress = (line: string): void => {
  process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${line}\n`)
}
const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')
const childEnv = { ...process.env }
delete childEnv['NODE_OPTIONS']

async function runJson<T>(args: readonly string[]): Promise<T> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: childEnv })
  let out = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d
  })
  const code = await new Promise<number | null>((r) => child.on('exit', r))
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}`)
  return JSON.parse(out) as T
}

const loadAtStart = load()
progress(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; load average ${loadAtStart}`,
)
const entries = ['server', 'httpRunner', 'coreRunner', 'timingRunner']
await build({
  entryPoints: entries.map((e) => join(benchDir, 'src', 'overhead', `${e}.ts`)),
  outdir: outDir,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
})
const bundle = (name: string): string => join(outDir, `${name}.mjs`)

const server: ChildProcess = fork(bundle('server'), [], { execArgv: [], env: childEnv })
const port = await new Promise<number>((r) => server.once('message', (m: { port: number }) => r(m.port)))
const origin = `http://127.0.0.1:${port}`

const http = new Map<ClientFamily, HttpRoundResult[]>()
for (const family of CLIENT_FAMILIES) {
  const t0 = performance.now()
  http.set(
    family,
    await runJson<HttpRoundResult[]>([
      bundle('httpRunner'),
      family,
      origin,
      String(ROUNDS),
      String(REQUESTS),
      String(CONCURRENCY),
    ]),
  )
  progress(`  http ${family}: ${((performance.now() - t0) / 1000).toFixed(1)} s, load ${load()}`)
}

const coreArgs = ['--expose-gc', '--max-semi-space-size=64', bundle('coreRunner')]
const core = await runJson<CoreResult[]>([...coreArgs, String(ROUNDS), String(CORE_CALLS)])
progress(`  core: done, load ${load()}`)

const timing = await runJson<TimingResult[]>([bundle('timingRunner'), origin, String(TIMING_SAMPLES)])
progress(`  timing: done, load ${load()}`)

// ---- Reduce ----
interface Row {
  readonly variant: string
  readonly kind: HttpRoundResult['kind']
  readonly rps: RoundSummary
  readonly throughput: RoundSummary
  readonly p50: RoundSummary
  readonly p99: RoundSummary
  readonly p50Ms: number
  readonly p99Ms: number
}
function reduce(rounds: readonly HttpRoundResult[]): Row[] {
  const raw = new Map(rounds.filter((r) => r.kind === 'raw').map((r) => [r.round, r]))
  const names = [...new Set(rounds.map((r) => r.variant))]
  return names.map((variant) => {
    const mine = rounds.filter((r) => r.variant === variant)
    // Each round's ratio is to the raw client of the same round, then the median is taken.
    const ratio = (pick: (r: HttpRoundResult) => number): RoundSummary =>
      summarizeRounds(
        mine.flatMap((r) => {
          const base = raw.get(r.round)
          return base === undefined ? [] : [pick(r) / pick(base)]
        }),
      )
    return {
      variant,
      kind: mine[0]?.kind ?? 'peer',
      rps: summarizeRounds(mine.map((r) => r.requestsPerSecond)),
      throughput: ratio((r) => r.requestsPerSecond),
      p50: ratio((r) => r.p50Ms),
      p99: ratio((r) => r.p99Ms),
      p50Ms: summarizeRounds(mine.map((r) => r.p50Ms)).median,
      p99Ms: summarizeRounds(mine.map((r) => r.p99Ms)).median,
    }
  })
}
const rows = new Map(CLIENT_FAMILIES.map((f) => [f, reduce(http.get(f) ?? [])]))
const coreRows = core.map((c) => ({
  variant: c.variant,
  ns: summarizeRounds(c.nsPerCall),
  bytes: summarizeRounds(c.bytesPerCall),
}))
const bare = coreRows.find((c) => c.variant.startsWith('bare'))
const ours = coreRows.find((c) => c.variant.startsWith('redress'))

// ---- Targets ----
const verdict = (ok: boolean): string => (ok ? 'MET   ' : 'MISSED')
const x2 = (n: number): string => `${n.toFixed(2)}×`
const spread = (s: RoundSummary): string => `${s.min.toFixed(2)}–${s.max.toFixed(2)}`
const targets: string[] = []
for (const family of CLIENT_FAMILIES) {
  const list = rows.get(family) ?? []
  const mine = list.find((r) => r.kind === 'redress')
  if (mine === undefined) continue
  targets.push(
    `${verdict(mine.throughput.median >= TARGET_RATIO)} ${family}: ${mine.variant} throughput ${x2(mine.throughput.median)} raw (rounds ${spread(mine.throughput)}; target ≥ ${TARGET_RATIO})`,
  )
  const peers = list.filter((r) => r.kind === 'peer')
  const behind = peers.filter((p) => p.throughput.median >= mine.throughput.median)
  targets.push(
    `${verdict(behind.length === 0)} ${family}: ${mine.variant} ahead of every peer (${peers.map((p) => `${p.variant} ${x2(p.throughput.median)}`).join(', ')})`,
  )
}
const nsOf = (prefix: string): number => coreRows.find((c) => c.variant.startsWith(prefix))?.ns.median ?? Number.NaN
const oursNs = ours?.ns.median ?? Number.NaN
targets.push(
  `${verdict(oursNs <= TARGET_NS)} core: policy.call success path ${oursNs.toFixed(0)} ns/call (bare await ${nsOf('bare').toFixed(0)} ns; target ≤ ${TARGET_NS} ns)`,
  `${verdict(oursNs < nsOf('cockatiel') && oursNs < nsOf('p-retry'))} core: policy.call faster than cockatiel (${nsOf('cockatiel').toFixed(0)} ns) and p-retry (${nsOf('p-retry').toFixed(0)} ns)`,
)
for (const t of targets) progress(t)

// ---- Profiles, when the core path is far from its target ----
// Frames in dist/ are mapped back to src/ through the build's source maps.
const maps = new Map<string, SourceMap | undefined>()
function locate(url: string, line: number, column: number): string | undefined {
  if (!url.startsWith('file://') || !url.includes('/packages/')) return undefined
  if (!maps.has(url)) {
    try {
      maps.set(url, new SourceMap(JSON.parse(readFileSync(`${fileURLToPath(url)}.map`, 'utf8'))))
    } catch {
      maps.set(url, undefined)
    }
  }
  const entry = maps.get(url)?.findEntry(line, column)
  if (entry === undefined || !('originalSource' in entry)) return undefined
  const source = new URL(entry.originalSource, url).pathname.replace(/^.*\/packages\//, '')
  return `${source}:${entry.originalLine + 1}`
}
async function profileOf(args: readonly string[]): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'redress-cpuprof-'))
  try {
    await runJson<unknown>(['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100', ...args])
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    return file === undefined ? undefined : readFileSync(join(dir, file), 'utf8')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
const top = (json: string | undefined, include?: (url: string) => boolean): SelfTime[] =>
  json === undefined ? [] : cpuProfileTop(json, 15, { locate, include })
const ownCode = (url: string): boolean => url.includes('/packages/')
let profile: SelfTime[] = []
let adapterProfile: SelfTime[] = []
let adapterOwn: SelfTime[] = []
if (!(oursNs <= TARGET_NS * 1.5)) {
  profile = top(await profileOf([bundle('coreRunner'), '3', String(CORE_CALLS * 3), 'redress policy.call']))
  const undici = await profileOf([
    bundle('httpRunner'),
    'undici',
    origin,
    '3',
    String(REQUESTS * 2),
    String(CONCURRENCY),
    'redressInterceptor()',
  ])
  adapterProfile = top(undici)
  adapterOwn = top(undici, ownCode)
  progress('  profiles: done')
}
server.disconnect()

// ---- Report ----
const KIND_COLOUR = { raw: 2, redress: 0, peer: 1 } as const
mkdirSync(resultsDir, { recursive: true })
writeFileSync(
  join(resultsDir, 'bench-throughput.svg'),
  barChart({
    title: 'Success-path throughput relative to the raw client (median of rounds, min–max)',
    xLabel: 'throughput ÷ raw client throughput (same round)',
    legend: ['redress', 'peer middleware'],
    references: [
      { at: TARGET_RATIO, label: `${TARGET_RATIO} target` },
      { at: 1, label: 'raw' },
    ],
    bars: CLIENT_FAMILIES.flatMap((f) =>
      (rows.get(f) ?? [])
        .filter((r) => r.kind !== 'raw')
        .map((r) => ({
          label: `${f}: ${r.variant}`,
          value: r.throughput.median,
          min: r.throughput.min,
          max: r.throughput.max,
          colour: KIND_COLOUR[r.kind],
        })),
    ),
  }),
)

const f1 = (n: number): string => n.toFixed(1)
const f2 = (n: number): string => n.toFixed(2)
const ratioCell = (s: RoundSummary): string => `${f2(s.median)} (${spread(s)})`
const httpTables = CLIENT_FAMILIES.map((family) => {
  const list = rows.get(family) ?? []
  return `### ${family}\n\n${markdownTable(
    ['variant', 'req/s', 'throughput × raw', 'p50 × raw', 'p99 × raw', 'p50 ms', 'p99 ms'],
    list.map((r) => [
      r.kind === 'redress' ? `**${r.variant}**` : r.variant,
      r.rps.median.toFixed(0),
      r.kind === 'raw' ? '1 (baseline)' : ratioCell(r.throughput),
      r.kind === 'raw' ? '1' : ratioCell(r.p50),
      r.kind === 'raw' ? '1' : ratioCell(r.p99),
      f2(r.p50Ms),
      f2(r.p99Ms),
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
  )}`
}).join('\n\n')

const coreTable = markdownTable(
  ['variant', 'ns/call (median, min–max)', 'above bare await', 'bytes allocated/call'],
  coreRows.map((c) => [
    c.variant.startsWith('redress') ? `**${c.variant}**` : c.variant,
    `${c.ns.median.toFixed(0)} (${c.ns.min.toFixed(0)}–${c.ns.max.toFixed(0)})`,
    c === bare || bare === undefined ? '—' : `${(c.ns.median - bare.ns.median).toFixed(0)} ns`,
    Number.isFinite(c.bytes.median) ? c.bytes.median.toFixed(0) : 'n/a (a GC ran in every sample)',
  ]),
  ['l', 'r', 'r', 'r'],
)

const q = (values: readonly number[], p: number): string => {
  const v = percentile([...values], p)
  return v === undefined ? 'n/a' : f1(v)
}
const timingTable = markdownTable(
  [
    'adapter',
    'late after Retry-After: 1, jitter 0 (p50 / p99 ms)',
    'late, default policy incl. U(0, 250) jitter (p50 / p99 ms)',
    'beyond the 250 ms jitter window',
    'abort → rejection during a 10 s backoff (p50 / p99 ms)',
  ],
  timing.map((t) => [
    t.adapter,
    `${q(t.latenessNoJitterMs, 0.5)} / ${q(t.latenessNoJitterMs, 0.99)} (n = ${t.latenessNoJitterMs.length})`,
    `${q(t.latenessDefaultMs, 0.5)} / ${q(t.latenessDefaultMs, 0.99)} (n = ${t.latenessDefaultMs.length})`,
    `${t.latenessDefaultMs.filter((v) => v > 250).length} of ${t.latenessDefaultMs.length}`,
    `${f2(Number(q(t.abortMs, 0.5)))} / ${f2(Number(q(t.abortMs, 0.99)))} (n = ${t.abortMs.length})`,
  ]),
  ['l', 'r', 'r', 'r', 'r'],
)

const selfTable = (list: readonly SelfTime[]): string =>
  markdownTable(
    ['function (source:line)', 'self ms', 'share of all samples'],
    list.map((p) => [p.frame, f1(p.selfMs), `${(p.share * 100).toFixed(1)} %`]),
    ['l', 'r', 'r'],
  )
const ownShare = adapterOwn.reduce((sum, p) => sum + p.share, 0)
const profileSection =
  profile.length === 0
    ? ''
    : `
### Where the time goes

\`policy.call\` is far from ${TARGET_NS} ns, so the benchmarks were profiled (\`node --cpu-prof\`, 100 µs sampling, the built \`dist/\`; redress frames mapped back to \`src/\` through the build's source maps). Self time, top 15.

The core microbenchmark, \`policy.call\` only:

${selfTable(profile)}

The undici benchmark, \`redressInterceptor()\` only (all frames; undici's and Node's included):

${selfTable(adapterProfile)}

The same run, redress's own frames only (\`packages/*\`: ${(ownShare * 100).toFixed(1)} % of all samples in these 15):

${selfTable(adapterOwn)}
`

const headline = CLIENT_FAMILIES.map((f) => {
  const mine = (rows.get(f) ?? []).find((r) => r.kind === 'redress')
  return mine === undefined ? '' : `${mine.variant} ${x2(mine.throughput.median)}`
})
  .filter((s) => s !== '')
  .join(', ')

const md = `## Overhead (\`pnpm bench\`)

Machine: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}; load average (1 / 5 / 15 min) ${loadAtStart} at the start, ${load()} at the end. **The machine was shared while these numbers were taken: read the spreads, not only the medians.**

Method: \`pnpm build\` first, then every measurement runs the built packages (\`dist/\`) in plain \`node\` (no TypeScript loader), in a child process of its own; a keep-alive \`node:http\` server on 127.0.0.1 runs in another. For each client, the raw client and each middleware run in ${ROUNDS} interleaved rounds of ${REQUESTS} \`GET /ok\` requests (${CONCURRENCY} in flight, one shared keep-alive pool per client; a warm-up round first; the order rotates every round). Every ratio is to the raw client **in the same round**; the table shows the median over rounds and the min–max across rounds. Every middleware runs with its defaults and retries on (redress: \`httpPolicy()\`; undici \`interceptors.retry()\`; \`fetch-retry\` with 3 retries; ky's default retry; \`axios-retry\`'s and \`retry-axios\`'s defaults); every request succeeds (200, ${JSON.stringify({ ok: true, id: 1, name: 'redress' }).length}-byte JSON), so this is the success-path cost. The fetch row uses **Node's global \`fetch\`** on its default (keep-alive) dispatcher: undici 7's own \`fetch\` rejects ky's requests (ky builds a global \`Request\`, a different class). ky is a whole client, not only a retry layer: its row includes its own request handling.

![Throughput ratios](bench-throughput.svg)

${httpTables}

### Core: \`policy.call\` on the success path

An async function that resolves at once, run ${CORE_CALLS.toLocaleString('en-US')} times per round, awaited one after another, ${ROUNDS} interleaved rounds; ns/call is the median over rounds (min–max). \`new RetryPolicy()\` with defaults; cockatiel \`retry(handleAll, { maxAttempts: 3 }).execute(fn)\`; \`pRetry(fn, { retries: 3 })\`. Bytes per call: the runner starts with \`--expose-gc --max-semi-space-size=64\`, calls \`gc()\`, reads \`process.memoryUsage().heapUsed\`, makes 10 000 calls, reads it again and divides the difference by 10 000 — everything allocated and not yet collected; a \`PerformanceObserver\` on \`gc\` entries discards any sample in which a collection ran (a collection would hide allocations). Median of up to 5 samples.

${coreTable}

### Timing accuracy on loopback

Measured at the server: the time from handing the \`429\` (\`Retry-After: 1\`) to the kernel to the retry's arrival, minus 1 000 ms (${TIMING_SAMPLES} samples per adapter, 4 at a time, no retry budget so every 429 is retried). "jitter 0" runs \`new RetryPolicy({ classifier: httpClassifier, strategy: retryAfterOr(decorrelatedJitter(), { jitterMs: 0 }), maxAttempts: 3 })\`; "default policy" runs \`httpPolicy({ budget: null })\`, whose \`retryAfterOr\` adds \`U(0, 250 ms)\` on purpose so clients told the same \`Retry-After\` do not return together: its lateness is that jitter plus the scheduling delay. The abort column: the server answers \`503\` with \`Retry-After: 10\`; 200 ms later (the client is sleeping) the caller's \`AbortController\` aborts; time from \`abort()\` to the request's rejection.

${timingTable}

### Targets

\`\`\`
${targets.join('\n')}
\`\`\`
${profileSection}
### Closing note

Throughput relative to the raw client (median of ${ROUNDS} rounds): ${headline}. \`policy.call\`: ${oursNs.toFixed(0)} ns/call against ${nsOf('bare').toFixed(0)} ns for a bare \`await fn()\`, ${nsOf('cockatiel').toFixed(0)} ns for cockatiel and ${nsOf('p-retry').toFixed(0)} ns for p-retry; ${ours === undefined ? 'n/a' : ours.bytes.median.toFixed(0)} bytes allocated per call. ${targets.some((t) => t.startsWith('MISSED')) ? 'Targets marked MISSED above are not met by this build; the profile (when shown) is where the core path spends its time.' : 'Every target is met.'}
`
writeFileSync(join(resultsDir, 'bench.md'), md)
progress(`wrote ${join(resultsDir, 'bench.md')} and ${writeReadme(benchDir)}`)
process.exit(0)
