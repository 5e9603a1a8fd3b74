import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { CIRCUIT_BREAKER_DEFAULTS } from '@redress/core'
import { HTTP_TOKEN_BUDGET_DEFAULTS } from '@redress/core/http'
import { markdownTable } from '../../report/markdownTable.ts'
import { writeReadme } from '../../report/writeReadme.ts'
import {
  FLEET_DEFAULT_CANDIDATES,
  FLEET_SETUPS,
  FLEET_SIM,
  type FleetOutageCell,
  type FleetStormCell,
  runFleetDefaults,
  runFleetOutage,
  runFleetStorm,
} from './fleetExperiments.ts'

// The fleet experiments of `pnpm sim` (issue 17): per-process budgets and breakers against
// fleet-wide ones (@redress/redis), in virtual time. Writes bench/results/sim-fleet.md and
// re-assembles bench/README.md. Same seed, same bytes.
const SEED = Number(process.env['SIM_SEED'] ?? 20_260_101)
const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const startedAt = performance.now()
const progress = (line: string): void => {
  process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${line}\n`)
}
const timed = <T>(label: string, f: () => T): T => {
  const t0 = performance.now()
  const value = f()
  progress(`  ${label} (${((performance.now() - t0) / 1000).toFixed(1)} s)`)
  return value
}
const secs = (ms: number | undefined): string => (ms === undefined ? 'never' : `${(ms / 1000).toFixed(2)} s`)
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`

progress(`fleet experiments, seed ${SEED}`)
const outage: FleetOutageCell[] = []
for (const processes of FLEET_SIM.processes) {
  for (const setup of FLEET_SETUPS) {
    outage.push(timed(`outage: ${processes} processes, ${setup.name}`, () => runFleetOutage(setup, processes, SEED)))
  }
}
const full = FLEET_SETUPS[3]
if (full === undefined) throw new Error('no fleet set-up')
const sweep: FleetOutageCell[] = []
for (const redisRttMs of FLEET_SIM.sweepRttsMs) {
  for (const syncIntervalMs of FLEET_SIM.sweepIntervalsMs) {
    sweep.push(
      timed(`sync sweep: every ${syncIntervalMs} ms, RTT ${redisRttMs} ms`, () =>
        runFleetOutage(full, FLEET_SIM.sweepProcesses, SEED, { syncIntervalMs, redisRttMs }, 20_000),
      ),
    )
  }
}
const storm: FleetStormCell[] = []
for (const pauseMs of FLEET_SIM.storm.pausesMs) {
  for (const processes of FLEET_SIM.processes) {
    for (const setup of FLEET_SETUPS) {
      storm.push(
        timed(`storm: ${pauseMs / 1000} s pause, ${processes} processes, ${setup.name}`, () =>
          runFleetStorm(setup, processes, pauseMs, SEED),
        ),
      )
    }
  }
}
const defaults = FLEET_DEFAULT_CANDIDATES.map((c) =>
  timed(`defaults: ${c.budget} ${c.maxTokens}/${c.tokenRatio}`, () => runFleetDefaults(c, SEED)),
)

const at = (cells: readonly FleetOutageCell[], setup: string, processes: number): FleetOutageCell | undefined =>
  cells.find((c) => c.setup === setup && c.processes === processes)
const big = FLEET_SIM.processes[FLEET_SIM.processes.length - 1] ?? 1000
const perProcess = at(outage, 'budget + breaker per process', big)
const fleetWide = at(outage, 'fleet budget + fleet breaker', big)
const S = FLEET_SIM
const st = S.storm
const B = HTTP_TOKEN_BUDGET_DEFAULTS
const CB = CIRCUIT_BREAKER_DEFAULTS
const md: string[] = []
md.push(`## Fleets: budgets and breakers per process or fleet-wide (\`pnpm sim\`, \`@redress/redis\`)

Virtual time, seeded (seed ${SEED}). Each of ${S.processes.join(', ')} processes runs the real
\`httpPolicy()\` (step API, no client-side throttle: budgets and breakers are the subject here)
against one upstream, with either today's state per process — a \`TokenBudget\` (${B.maxTokens} tokens, ${B.tokenRatio} per
success: \`httpPolicy\`'s per-origin bucket) and a \`CircuitBreaker\` (${CB.failureThreshold} failures in ${CB.windowMs / 1000} s, ${CB.recoveryTimeoutMs / 1000} s recovery)
each — or the fleet-wide \`FleetTokenBudget\`/\`FleetCircuitBreaker\` that \`RedisRetryBudget\`/\`RedisCircuitBreaker\`
drive, with the same options. A fleet object answers from its
local view and syncs every ${S.sync.syncIntervalMs} ms (at its own phase), or at once when its view
crosses a line (the budget runs dry, the breaker opens, a probe ends or is wanted). Redis is modelled
honestly but kindly: each sync takes a round trip of normal(${S.sync.redisRttMs} ms, ${S.sync.redisRttMs / 5} ms) and is applied at the
half-way point by \`applyBudgetSync\`/\`applyBreakerSync\`, the TypeScript twins of the Lua scripts
(the package's tests hold them to the scripts on a real Redis, reply for reply); Redis itself never
queues, fails or slows down here. Upstream messages take normal(10 ms, 2 ms) each way.

**Total outage**: every process sends ${S.requestsPerSecondPerProcess} req/s (Poisson); the upstream is healthy for
${S.warmupMs / 1000} s, then answers every attempt with a 503 for ${S.outageMs / 1000} s. *Retries* and *attempts* count
what was sent into the outage in its first ${S.firstWindowMs / 1000} s; *last retry* and *fleet stops sending*
are measured from the start of the outage (the latter ignores half-open probe requests; budgets
alone never stop first attempts); *probes* counts half-open probe requests over the
${S.outageMs / 1000} s; *Redis calls/s* is what the whole fleet asks of Redis.
`)
if (perProcess !== undefined && fleetWide !== undefined) {
  md.push(`At ${big} processes, fleet-wide state sends ${perProcess.retriesFirst10s} → ${fleetWide.retriesFirst10s} retries into
the first ${S.firstWindowMs / 1000} s of the outage, and the whole fleet stops sending after ${secs(fleetWide.stopsSendingMs)}
instead of ${secs(perProcess.stopsSendingMs)} (one probe per recovery period instead of one per process).
`)
}
md.push(
  markdownTable(
    [
      'processes',
      'set-up',
      'retries, first 10 s',
      'attempts, first 10 s',
      'last retry',
      'fleet stops sending',
      'probes',
      'Redis calls/s',
    ],
    outage.map((c) => [
      String(c.processes),
      c.setup,
      String(c.retriesFirst10s),
      String(c.attemptsFirst10s),
      secs(c.lastRetryMs),
      c.setup.includes('breaker') ? secs(c.stopsSendingMs) : '— (budget only)',
      String(c.probes),
      c.redisCallsPerS.toFixed(0),
    ]),
    ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
  ),
)
md.push(`
**The sync interval and the Redis round trip** (${S.sweepProcesses} processes, fleet budget + fleet breaker, a
20 s outage): the interval bounds how stale a process's view can be, and sets the load on Redis.
`)
md.push(
  markdownTable(
    [
      'sync interval',
      'Redis RTT',
      'retries, first 10 s',
      'attempts, first 10 s',
      'fleet stops sending',
      'Redis calls/s',
    ],
    sweep.map((c) => [
      `${c.syncIntervalMs} ms`,
      `${c.redisRttMs} ms`,
      String(c.retriesFirst10s),
      String(c.attemptsFirst10s),
      secs(c.stopsSendingMs),
      c.redisCallsPerS.toFixed(0),
    ]),
    ['r', 'r', 'r', 'r', 'r', 'r'],
  ),
)
md.push(`
**Retry storm**: the fleet shares Poisson traffic at ${st.load * 100} % of a FIFO server's ${st.capacityPerS} req/s; the
server stops for 2 s or 5 s at ${st.pauseAtMs / 1000} s; clients give up on an attempt after ${st.timeoutMs / 1000} s (the server still does
the work); traffic goes on for ${st.observeAfterPauseMs / 1000} s after the pause. *Retries* counts those sent from the start
of the pause to ${st.windowAfterPauseMs / 1000} s after its end; *recovery*, *goodput* and *success* are as in the retry-storm
experiment above; *refused* is the share of requests a breaker refused. The more processes share the
traffic, the fewer failures each one sees, so per-process budgets stop fewer retries; a fleet budget
does not depend on how the traffic is split. A breaker with a 30 s recovery time turns a short pause
into 30 s of refusals, fleet-wide or not: a breaker is for an upstream that is down, not for a blip.
`)
for (const pauseMs of st.pausesMs) {
  md.push(`\n*Server paused ${pauseMs / 1000} s*\n`)
  md.push(
    markdownTable(
      ['processes', 'set-up', 'amplification', 'retries', 'recovery', 'goodput (req/s)', 'success', 'refused'],
      storm
        .filter((c) => c.pauseMs === pauseMs)
        .map((c) => [
          String(c.processes),
          c.setup,
          c.amplification.toFixed(3),
          String(c.retriesAroundPause),
          c.recoveryMs === undefined ? 'not within 60 s' : `${(c.recoveryMs / 1000).toFixed(1)} s`,
          c.goodputPerS.toFixed(0),
          pct(c.successRatio),
          pct(c.rejectedRatio),
        ]),
      ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  )
}
md.push(`
**The fleet budget's defaults** (100 processes): \`RedisRetryBudget\` keeps by default the bucket
\`httpPolicy\` gives each origin (${B.maxTokens} tokens, ${B.tokenRatio} per success). A fleet's successes refill the shared
bucket, so it needs no more room than one process's to ride out scattered failures; a larger one
only lets every process spend more from its local view before the next sync tells it the bucket
is dry, and a tighter one stops retries that work. *Retries* are those sent into the first ${S.firstWindowMs / 1000} s
of a total outage; *success* is with independent failures of 5 % and 33 % (one bad backend of
three) for 60 s.
`)
md.push(
  markdownTable(
    ['budget', 'maxTokens', 'tokenRatio', 'retries, first 10 s of an outage', 'success at 5 %', 'success at 33 %'],
    defaults.map((c) => [
      c.budget === 'fleet' ? 'fleet-wide' : 'per process',
      String(c.maxTokens),
      String(c.tokenRatio),
      String(c.retriesFirst10s),
      `${(c.successRatio * 100).toFixed(3)} %`,
      `${(c.successAtThirdRatio * 100).toFixed(2)} %`,
    ]),
    ['l', 'r', 'r', 'r', 'r', 'r'],
  ),
)

const resultsDir = join(benchDir, 'results')
mkdirSync(resultsDir, { recursive: true })
writeFileSync(join(resultsDir, 'sim-fleet.md'), `${md.join('\n').trim()}\n`)
const readme = writeReadme(benchDir)
progress(`wrote ${join(resultsDir, 'sim-fleet.md')} and ${readme}`)
