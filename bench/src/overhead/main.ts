import { type ChildProcess, execFileSync, fork } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { loadAverage } from '../loadAverage.ts'
import { writeReadme } from '../report/writeReadme.ts'
import type { AllocationResult } from './AllocationResult.ts'
import { readBenchConfig } from './BenchConfig.ts'
import { barChart } from './barChart.ts'
import { CLIENT_FAMILIES, type ClientFamily } from './ClientFamily.ts'
import type { CoreResult } from './CoreResult.ts'
import { type CostRow, costRows } from './CostRow.ts'
import { cpuProfileOf } from './cpuProfileOf.ts'
import { cpuProfileTop, type SelfTime } from './cpuProfileTop.ts'
import { distSourceLocator } from './distSourceLocator.ts'
import type { HttpRoundResult } from './HttpRoundResult.ts'
import { type HttpRow, httpRows } from './HttpRow.ts'
import { OK_BODY } from './okBody.ts'
import { type OverheadProfiles, overheadReport } from './overheadReport.ts'
import { judgeOverheadTargets, OVERHEAD_TARGETS, verdictLine } from './overheadTargets.ts'
import type { RoundCosts } from './RoundCosts.ts'
import { runJson } from './runJson.ts'
import type { TimingResult } from './TimingResult.ts'
import type { VariantKind } from './VariantKind.ts'

// `pnpm bench`: the success-path overhead of redress and its peers, measured on the BUILT
// packages (`pnpm build` runs first). This process only orchestrates: the runners are bundled
// by esbuild with every package left external (so @redress/* resolve to dist/, with no
// keepNames), and run in child processes of their own, against a server in another one.
// The environment variables are read by `BenchConfig.ts`; `BENCH_NODE` runs the children on
// another node and writes the section to `results/bench-node<major>.md` instead.

const config = readBenchConfig(process.env, process.cwd())
const { rounds, requests, concurrency, inProcessRequests, allocRequests, allocSamples, coreCalls, coreFailCalls } =
  config
const node = config.node ?? process.execPath
const nodeVersion =
  config.node === undefined
    ? process.version
    : execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).trim()
const nodeMajor = /^v(\d+)/.exec(nodeVersion)?.[1] ?? 'x'
const section = config.node === undefined ? 'bench' : `bench-node${nodeMajor}`
const command =
  config.node === undefined ? 'pnpm bench' : nodeMajor === '22' ? 'pnpm bench:node22' : 'BENCH_NODE=… pnpm bench'

// Allocation passes only: a young generation big enough for a whole batch between collections.
const ALLOC_FLAGS = ['--expose-gc', '--min-semi-space-size=64', '--max-semi-space-size=64']
// Calls per allocation sample in the core (fewer if BENCH_CORE_CALLS is smaller).
const CORE_ALLOC_CALLS = 10_000

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const resultsDir = join(benchDir, 'results')
// Inside node_modules, so the bundles' bare imports resolve from bench/node_modules, and git ignores them.
const outDir = join(benchDir, 'node_modules', '.cache', 'overhead')
const startedAt = performance.now()
const seconds = (since: number): string => `${((performance.now() - since) / 1000).toFixed(1)} s`
const progress = (line: string): void => {
  process.stderr.write(`[${seconds(startedAt).padStart(7)}] ${line}\n`)
}
const childEnv = { ...process.env }
delete childEnv['NODE_OPTIONS']
const run = <T>(args: readonly string[]): Promise<T> => runJson<T>(node, args, childEnv)
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`

const loadAtStart = loadAverage()
progress(`runners on node ${nodeVersion} (${node}), ${machine}; load average ${loadAtStart}`)
const entries = ['server', 'httpRunner', 'httpAllocationRunner', 'inProcessRunner', 'coreRunner', 'timingRunner']
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

// ---- Measure ----
const httpRounds = new Map<ClientFamily, HttpRoundResult[]>()
const httpBytes = new Map<ClientFamily, AllocationResult[]>()
for (const family of CLIENT_FAMILIES) {
  const t0 = performance.now()
  httpRounds.set(
    family,
    await run([bundle('httpRunner'), family, origin, String(rounds), String(requests), String(concurrency)]),
  )
  const roundsTook = seconds(t0)
  const t1 = performance.now()
  httpBytes.set(
    family,
    await run([
      ...ALLOC_FLAGS,
      bundle('httpAllocationRunner'),
      family,
      origin,
      String(allocRequests),
      String(allocSamples),
      String(concurrency),
    ]),
  )
  progress(`  http ${family}: rounds ${roundsTook}, bytes ${seconds(t1)}; load ${loadAverage()}`)
}

const inProcessCosts = new Map<ClientFamily, RoundCosts[]>()
const inProcessBytes = new Map<ClientFamily, AllocationResult[]>()
for (const family of CLIENT_FAMILIES) {
  const t0 = performance.now()
  inProcessCosts.set(
    family,
    await run(['--expose-gc', bundle('inProcessRunner'), family, 'cpu', String(rounds), String(inProcessRequests)]),
  )
  inProcessBytes.set(
    family,
    await run([
      ...ALLOC_FLAGS,
      bundle('inProcessRunner'),
      family,
      'bytes',
      String(allocRequests),
      String(allocSamples),
    ]),
  )
  progress(`  in-process ${family}: ${seconds(t0)}; load ${loadAverage()}`)
}

let t0 = performance.now()
const core = await run<CoreResult[]>([
  '--expose-gc',
  bundle('coreRunner'),
  'time',
  String(rounds),
  String(coreCalls),
  String(coreFailCalls),
])
const coreBytes = await run<AllocationResult[]>([
  ...ALLOC_FLAGS,
  bundle('coreRunner'),
  'bytes',
  String(Math.min(coreCalls, CORE_ALLOC_CALLS)),
  String(coreFailCalls),
  String(allocSamples),
])
progress(`  core: ${seconds(t0)}; load ${loadAverage()}`)

t0 = performance.now()
const timing = await run<TimingResult[]>([bundle('timingRunner'), origin, String(config.timingSamples)])
progress(`  timing: ${seconds(t0)}; load ${loadAverage()}`)

// ---- Reduce and judge ----
const http = new Map<ClientFamily, HttpRow[]>(
  CLIENT_FAMILIES.map((f) => [f, httpRows(httpRounds.get(f) ?? [], httpBytes.get(f) ?? [])]),
)
const inProcess = new Map<ClientFamily, CostRow[]>(
  CLIENT_FAMILIES.map((f) => [f, costRows(inProcessCosts.get(f) ?? [], inProcessBytes.get(f) ?? [], 'passthrough')]),
)
const coreRows = (path: CoreResult['path']): CostRow[] =>
  costRows(
    core.filter((c) => c.path === path),
    coreBytes,
    'raw',
  )
const coreSuccess = coreRows('success')
const coreFailOnce = coreRows('failOnce')
const verdicts = judgeOverheadTargets(http, coreSuccess, inProcess)
for (const v of verdicts) progress(verdictLine(v))

// ---- Profiles, when a target is missed: where the time goes ----
// Frames in dist/ are mapped back to src/ through the build's source maps.
const ownCode = (url: string): boolean => url.includes('/packages/')
const locate = distSourceLocator()
const top = (json: string | undefined, include?: (url: string) => boolean): SelfTime[] =>
  json === undefined ? [] : cpuProfileTop(json, 15, { locate, include })
let profiles: OverheadProfiles | undefined
if (verdicts.some((v) => !v.pass)) {
  t0 = performance.now()
  const coreJson = await cpuProfileOf(
    node,
    [bundle('coreRunner'), 'time', '3', String(coreCalls * 3), '1', 'redress policy.call'],
    childEnv,
  )
  const undici = await cpuProfileOf(
    node,
    [bundle('httpRunner'), 'undici', origin, '3', String(requests * 4), String(concurrency), 'redressInterceptor()'],
    childEnv,
  )
  profiles = { core: top(coreJson), adapter: top(undici), adapterOwn: top(undici, ownCode) }
  progress(`  profiles: ${seconds(t0)}`)
}
server.disconnect()

// ---- Report ----
// raw rows are the baseline and never drawn; every other kind has its colour.
const KIND_COLOUR = { redress: 0, peer: 1, passthrough: 2, raw: 3 } as const satisfies Record<VariantKind, number>
const chartFile = `${section}-throughput.svg`
mkdirSync(resultsDir, { recursive: true })
writeFileSync(
  join(resultsDir, chartFile),
  barChart({
    title: `Success-path throughput relative to the raw client, Node ${nodeVersion} (median of rounds, p25–p75)`,
    xLabel: 'throughput ÷ raw client throughput (same round)',
    legend: ['redress', 'peer middleware', 'pass-through'],
    references: [
      { at: OVERHEAD_TARGETS.minThroughputRatio, label: `${OVERHEAD_TARGETS.minThroughputRatio} target` },
      { at: 1, label: 'raw' },
    ],
    bars: CLIENT_FAMILIES.flatMap((f) =>
      (http.get(f) ?? [])
        .filter((r) => r.kind !== 'raw')
        .map((r) => ({
          label: `${f}: ${r.variant}`,
          value: r.throughput.median,
          min: r.throughput.p25,
          max: r.throughput.p75,
          colour: KIND_COLOUR[r.kind],
        })),
    ),
  }),
)

const md = overheadReport({
  command,
  runnerNode: nodeVersion,
  runnerNodePath: config.node === undefined ? undefined : node.replace(`${resolve(benchDir, '..')}/`, ''),
  serverNode: process.version,
  machine,
  loadAtStart,
  loadAtEnd: loadAverage(),
  durationS: (performance.now() - startedAt) / 1000,
  config,
  coreAllocCalls: Math.min(coreCalls, CORE_ALLOC_CALLS),
  bodyBytes: Buffer.byteLength(OK_BODY),
  chartFile,
  http,
  inProcess,
  core: coreSuccess,
  coreFailOnce,
  timing,
  verdicts,
  profiles,
})
const mdFile = join(resultsDir, `${section}.md`)
writeFileSync(mdFile, md)
progress(`wrote ${mdFile} and ${writeReadme(benchDir)}`)
process.exit(0)
