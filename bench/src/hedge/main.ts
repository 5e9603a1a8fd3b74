/**
 * `pnpm bench:hedge` (and the second part of `pnpm bench`): hedged requests against a heavy-tailed
 * loopback server at a fixed request rate — p50, p99 and p99.9 latency and the extra requests sent,
 * for no hedging, a fixed `afterMs` and the quantile default, side by side in one run: one open
 * loop sends request i through variant i mod 3, so a pause of the machine (the client's or the
 * server's process not scheduled) lands on every variant alike. Writes `results/hedge.md` and
 * `results/hedge-latency.svg`, then re-assembles bench/README.md. Environment: `HEDGE_BENCH_RATE`
 * (calls/s per variant, default 100), `HEDGE_BENCH_ROUNDS` (default 9), `HEDGE_BENCH_CALLS`
 * (measured calls per variant per round, default 1000), `HEDGE_BENCH_WARMUP` (unmeasured calls
 * per variant first, default 200).
 */

import { type ChildProcess, fork } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { cpus } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import type { HedgeOptions } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { redressInterceptor } from '@redress/undici'
import { Agent, type Dispatcher, request } from 'undici'
import { loadAverage } from '../loadAverage.ts'
import { positiveEnv } from '../positiveEnv.ts'
import { writeReadme } from '../report/writeReadme.ts'
import {
  type HedgeRound,
  type HedgeVariantResult,
  hedgeChart,
  hedgeReport,
  hedgeVerdictLine,
  judgeHedging,
  judgeRounds,
  pooled,
  undisturbed,
} from './hedgeReport.ts'
import { openLoop } from './openLoop.ts'

const RATE = positiveEnv('HEDGE_BENCH_RATE', 100)
const ROUNDS = positiveEnv('HEDGE_BENCH_ROUNDS', 9)
const CALLS = positiveEnv('HEDGE_BENCH_CALLS', 1_000)
const WARMUP = positiveEnv('HEDGE_BENCH_WARMUP', 200)
/** The fixed delay of the `afterMs` variant: past the fast band (≈ 1 ms), far below the slow one. */
const FIXED_AFTER_MS = 10

interface Variant {
  readonly name: string
  readonly option: string
  readonly hedge: HedgeOptions | undefined
}

const VARIANTS: readonly Variant[] = [
  { name: 'no hedging', option: 'undefined', hedge: undefined },
  {
    name: `fixed afterMs ${FIXED_AFTER_MS} ms`,
    option: `{ afterMs: ${FIXED_AFTER_MS} }`,
    hedge: { afterMs: FIXED_AFTER_MS },
  },
  { name: 'quantile default (p95)', option: '{}', hedge: {} },
]

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const resultsDir = join(benchDir, 'results')
const startedAt = performance.now()
const progress = (line: string): void => {
  process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(6)} s] ${line}\n`)
}

const loadAtStart = loadAverage()
// The child inherits this process's flags (tsx, and the source condition when given).
const server: ChildProcess = fork(join(benchDir, 'src', 'hedge', 'tailServer.ts'), [])
const port = await new Promise<number>((r) => server.once('message', (m: { port: number }) => r(m.port)))
const origin = `http://127.0.0.1:${port}`
const received = (): Promise<Record<string, number>> =>
  new Promise((r) => {
    server.once('message', (m: { count: Record<string, number> }) => r(m.count))
    server.send({ type: 'count' })
  })

interface Client {
  readonly variant: Variant
  readonly agent: Agent
  readonly dispatcher: Dispatcher
  readonly url: string
}

const clients: Client[] = VARIANTS.map((variant, i) => {
  const agent = new Agent({ keepAliveTimeout: 60_000 })
  const policy = httpPolicy(variant.hedge === undefined ? {} : { hedge: variant.hedge })
  return { variant, agent, dispatcher: agent.compose(redressInterceptor({ policy })), url: `${origin}/v${i}/item` }
})

/** Call `i` goes through variant `i mod 3`. */
const send = async (i: number): Promise<void> => {
  const c = clients[i % clients.length] as Client
  const response = await request(c.url, { dispatcher: c.dispatcher })
  await response.body.text()
}

const n = clients.length
progress(
  `tail server on ${origin}; ${RATE} calls/s per variant, ${ROUNDS} rounds of ${CALLS} calls each; load ${loadAtStart}`,
)
await openLoop(send, WARMUP * n, RATE * n)
// How late this process's own timers ran in each round: a busy machine shows here first.
const lag = monitorEventLoopDelay({ resolution: 10 })
const rounds: HedgeRound[] = []
const raw: number[][] = []
for (let round = 0; round < ROUNDS; round++) {
  const before = await received()
  lag.reset()
  lag.enable()
  const measured = await openLoop(send, CALLS * n, RATE * n, (i) => i % n)
  lag.disable()
  const after = await received()
  raw.push(measured.latencies)
  const variants = clients.map((c, k): HedgeVariantResult => {
    const latencies = measured.latencies.filter((_, i) => i % n === k)
    return {
      name: c.variant.name,
      option: c.variant.option,
      latencies,
      failures: measured.failures[k] ?? 0,
      calls: latencies.length,
      requests: (after[`v${k}`] ?? 0) - (before[`v${k}`] ?? 0),
    }
  })
  rounds.push({ variants, lagP99Ms: lag.percentile(99) / 1e6, lagMaxMs: lag.max / 1e6 })
  progress(`  round ${round + 1}: ${judgeHedging(variants).map(hedgeVerdictLine).join('; ')}; load ${loadAverage()}`)
}
// HEDGE_BENCH_DUMP=<file> keeps the raw latencies (ms; per round, in schedule order; call i is variant i mod 3).
const dump = process.env['HEDGE_BENCH_DUMP']
if (dump !== undefined && dump !== '') writeFileSync(dump, JSON.stringify(raw))
for (const c of clients) await c.agent.close()
server.disconnect()

const results = pooled(rounds)
const quiet = rounds.filter(undisturbed)
for (const v of judgeRounds(quiet)) progress(`${hedgeVerdictLine(v)} (${quiet.length} undisturbed rounds)`)
for (const v of judgeRounds(rounds)) progress(`${hedgeVerdictLine(v)} (all ${rounds.length} rounds)`)

const chartFile = 'hedge-latency.svg'
mkdirSync(resultsDir, { recursive: true })
writeFileSync(
  join(resultsDir, chartFile),
  hedgeChart(
    results,
    `Latency by percentile, heavy-tailed loopback server, ${RATE} calls/s per variant (Node ${process.version})`,
  ),
)
const md = hedgeReport(rounds, {
  // The command as run: the environment variables that changed a default, then the script.
  command: [
    ...['HEDGE_BENCH_RATE', 'HEDGE_BENCH_ROUNDS', 'HEDGE_BENCH_CALLS', 'HEDGE_BENCH_WARMUP']
      .filter((name) => (process.env[name] ?? '') !== '')
      .map((name) => `${name}=${process.env[name]}`),
    'pnpm bench:hedge',
  ].join(' '),
  node: process.version,
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}`,
  loadAtStart,
  loadAtEnd: loadAverage(),
  durationS: (performance.now() - startedAt) / 1000,
  ratePerSecond: RATE,
  calls: CALLS,
  warmupCalls: WARMUP,
  chartFile,
})
const mdFile = join(resultsDir, 'hedge.md')
writeFileSync(mdFile, md)
progress(`wrote ${mdFile} and ${writeReadme(benchDir)}`)
process.exit(0)
