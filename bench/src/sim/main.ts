import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { lineChart } from '../report/lineChart.ts'
import { markdownTable } from '../report/markdownTable.ts'
import { writeReadme } from '../report/writeReadme.ts'
import { CLIENT_POLICIES } from './clientPolicies.ts'
import { CONTENTION_SETUP, CONTENTION_STRATEGIES, runContentionExperiment } from './contentionExperiment.ts'
import { FAILURES_SETUP, runIndependentFailures } from './independentFailures.ts'
import { runStorm, STORM_SETUP, type StormCell } from './retryStorm.ts'
import { OUTAGE_SETUP, runOutage } from './totalOutage.ts'

// `pnpm sim`: every experiment, then bench/results/sim.md, its SVG charts and bench/README.md.
// Same seed, same bytes: nothing in the output depends on wall-clock time.
const SEED = Number(process.env['SIM_SEED'] ?? 20_260_101)
const DEFAULT = 'default HTTP policy'
const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..')
const resultsDir = join(benchDir, 'results')
const startedAt = performance.now()
const progress = (line: string): void => {
  process.stderr.write(`[${((performance.now() - startedAt) / 1000).toFixed(1).padStart(5)} s] ${line}\n`)
}

const f3 = (n: number): string => n.toFixed(3)
const pct = (n: number, digits = 1): string => `${(n * 100).toFixed(digits)} %`
const secs = (ms: number | undefined): string =>
  ms === undefined ? `not within ${STORM_SETUP.observeAfterPauseMs / 1000} s` : `${(ms / 1000).toFixed(1)} s`
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISSED')

progress(`seed ${SEED}`)

// 1. Independent 5 % failures.
progress('independent 5 % failures')
const failures = CLIENT_POLICIES.map((p) => runIndependentFailures(p, SEED))

// 2. Total outage.
const outageClients = [1, 10, 100, 1000]
const outage = CLIENT_POLICIES.flatMap((p) => {
  const started = performance.now()
  const cells = outageClients.map((n) => runOutage(p, n, SEED))
  progress(`  total outage: ${p.name} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
  return cells
})

// 3. Retry storm.
const loads = [0.7, 0.8, 0.9]
const pauses = [2000, 5000]
const storm: StormCell[] = []
for (const pauseMs of pauses) {
  for (const load of loads) {
    const started = performance.now()
    for (const p of CLIENT_POLICIES) storm.push(runStorm(p, load, pauseMs, SEED))
    progress(
      `  retry storm: ${pct(load, 0)} load, ${pauseMs / 1000} s pause (${((performance.now() - started) / 1000).toFixed(1)} s)`,
    )
  }
}

// 4. Contention (the AWS experiment).
const contention = runContentionExperiment(SEED, progress)

// Targets for the default HTTP policy (DESIGN.md §7).
const drained = outage.filter((c) => c.policy === DEFAULT)
const worstDrained = Math.max(...drained.map((c) => c.drainedAmplification))
const stormAt = (policy: string, load: number, pauseMs: number): StormCell | undefined =>
  storm.find((c) => c.policy === policy && c.load === load && c.pauseMs === pauseMs)
const base = stormAt('no retries', 0.9, 2000)
const ours = stormAt(DEFAULT, 0.9, 2000)
// A call the throttle refused failed, as far as its caller knows: both recoveries count.
const withinFiveSeconds = (ms: number | undefined): boolean =>
  base !== undefined && ms !== undefined && (base.recoveryMs === undefined || ms <= base.recoveryMs + 5000)
const recoveryOk = withinFiveSeconds(ours?.recoveryMs) && withinFiveSeconds(ours?.clientRecoveryMs)
const fivePct = failures.find((c) => c.policy === DEFAULT)
const targets = [
  `${verdict(worstDrained <= 1.05)} total outage, once the budget has drained: amplification ${f3(worstDrained)} (worst of 1, 10, 100, 1000 clients; target ≤ 1.05)`,
  `${verdict(recoveryOk)} retry storm, 90 % load, 2 s pause: recovery ${secs(ours?.recoveryMs)} (${secs(ours?.clientRecoveryMs)} counting refused calls) vs ${secs(base?.recoveryMs)} with no retries (target ≤ no retries + 5 s)`,
  `${verdict(fivePct !== undefined && fivePct.successRatio >= 0.999)} independent 5 % failures: success ${pct(fivePct?.successRatio ?? 0, 3)} (target ≥ 99.9 %)`,
]

// Charts.
mkdirSync(resultsDir, { recursive: true })
const svg = (name: string, content: string): string => {
  writeFileSync(join(resultsDir, name), content)
  return name
}
const contentionSeries = (
  pick: (p: (typeof contention)[number]) => number,
): { name: string; points: [number, number][] }[] =>
  CONTENTION_STRATEGIES.map(({ name }) => ({
    name,
    points: contention.filter((p) => p.strategy === name).map((p): [number, number] => [p.clients, pick(p)]),
  }))
const callsSvg = svg(
  'contention-calls.svg',
  lineChart({
    title: 'Contention: total attempts until every client has written',
    xLabel: 'clients',
    yLabel: 'attempts (mean of 100 runs)',
    series: contentionSeries((p) => p.meanAttempts),
  }),
)
const timeSvg = svg(
  'contention-time.svg',
  lineChart({
    title: 'Contention: time until the last client has written',
    xLabel: 'clients',
    yLabel: 'ms (mean of 100 runs)',
    logY: true,
    series: contentionSeries((p) => p.meanCompletionMs),
  }),
)
const stormSvgs = pauses.map((pauseMs) =>
  svg(
    `storm-goodput-90-${pauseMs / 1000}s.svg`,
    lineChart({
      title: `Retry storm: goodput at 90 % load, server paused ${pauseMs / 1000} s at t = 10 s`,
      xLabel: 'time (s)',
      yLabel: 'successful answers per second',
      series: CLIENT_POLICIES.map((p) => ({
        name: p.name,
        points: (stormAt(p.name, 0.9, pauseMs)?.goodputSeries ?? []).map((g, i): [number, number] => [i + 1, g]),
      })),
    }),
  ),
)

// The section.
const S = STORM_SETUP
const md: string[] = []
md.push(`## Simulations (\`pnpm sim\`)

Virtual time, seeded (seed ${SEED}; set \`SIM_SEED\` to change it): the same seed writes the
same bytes. Nothing here re-implements redress: each simulated client runs the real
\`RetryPolicy\` through its step API (\`policy.start()\`, then \`run.recordFailure(err)\` /
\`run.recordSuccess()\` after every attempt) on a virtual clock, with the real strategies
(\`fullJitter\`, \`equalJitter\`, \`decorrelatedJitter\`, \`tokenBackoff\`), classifier, budgets
(\`TokenBudget\` per origin via \`httpPolicy().budgetFor(origin)\`, \`Budget\`) and the default
\`httpPolicy()\`. The only strategies and budget written for the simulator are the baselines
\`() => 0\`, \`min(cap, base · 2^attempt)\` and an AWS-style quota implemented against the
public \`RetryBudget\` interface (\`bench/src/sim/AwsRetryQuota.ts\`). Every network message
takes normal(10 ms, 2 ms) one way (Box–Muller over the seeded \`seededRandom\`).

### Targets for the default HTTP policy

\`\`\`
${targets.join('\n')}
\`\`\`

These are DESIGN.md §7's. The stricter targets of issue 16 (recovery no later than with no
retries, success no lower, the outage over the whole run, partial failure) are under
[Overload](#overload-client-side-throttling-and-the-retry-budget-pnpm-sim-issue-16) below.

### 1. Contention (the AWS "Exponential Backoff And Jitter" experiment)

N clients start together and each must update one row with optimistic concurrency: read
the row's version, then write on condition that the version is unchanged; a write that
finds a newer version fails with a \`ConcurrencyError\` and the client backs off. The
database answers at once, so one writer wins per round of overlapping attempts. Base
${CONTENTION_SETUP.baseMs} ms, cap ${CONTENTION_SETUP.maxMs / 1000} s, no attempt cap, no deadline;
mean of ${CONTENTION_SETUP.runsPerPoint} runs per point (every strategy sees the same seeds). An
*attempt* is one read plus one conditional write.

![attempts](${callsSvg})

![time](${timeSvg})
`)
const counts = CONTENTION_SETUP.clientCounts
const cRow = (pick: (p: (typeof contention)[number]) => string): string[][] =>
  CONTENTION_STRATEGIES.map(({ name }) => [
    name,
    ...counts.map((n) => {
      const p = contention.find((x) => x.strategy === name && x.clients === n)
      return p === undefined ? '' : pick(p)
    }),
  ])
const cAlign: ('l' | 'r')[] = ['l', ...counts.map((): 'r' => 'r')]
md.push('Mean attempts, all clients together:\n')
md.push(
  markdownTable(
    ['backoff \\ clients', ...counts.map(String)],
    cRow((p) => p.meanAttempts.toFixed(0)),
    cAlign,
  ),
)
md.push('\nMean time until the last client has written (ms):\n')
md.push(
  markdownTable(
    ['backoff \\ clients', ...counts.map(String)],
    cRow((p) => p.meanCompletionMs.toFixed(0)),
    cAlign,
  ),
)

md.push(`
### The client policies of experiments 2–4

${markdownTable(
  ['policy', 'what it is'],
  CLIENT_POLICIES.map((p) => [p.name, p.description]),
)}

Every client is a separate process: its own policy instance and its own budget.

### 2. Retry storm

${S.clients} clients send Poisson traffic at 70, 80 or 90 % of a FIFO server's capacity of
${S.capacityPerS} req/s (1 ms per request). At t = ${S.pauseAtMs / 1000} s the server stops for 2 s or 5 s;
queued requests wait. Clients give up on an attempt after ${S.timeoutMs / 1000} s (\`TimeoutError\`,
class TRANSIENT) and retry as their policy says; the server still processes abandoned
requests, and that work is wasted. Traffic continues until ${S.observeAfterPauseMs / 1000} s after the pause ends.

- **amplification**: attempts per original request over the whole run.
- **recovery**: baseline B is the p99 latency of attempts that ended in [${S.baselineFromMs / 1000} s, ${S.pauseAtMs / 1000} s).
  Time is cut into 100 ms buckets; a bucket is healthy when at least one attempt ended in
  it and the p99 latency of those attempts (a timed-out attempt counts as infinitely slow)
  is below 2·B. Recovery is the time from the end of the pause to the start of the first
  1 s run of consecutive healthy buckets.
- **counting refused**: the same recovery as the callers see it: a request the client-side
  throttle refused (the default HTTP policy's) failed at once, so it counts as a timed-out
  attempt in its bucket. Without a throttle it equals the recovery.
- **goodput**: successful answers per second in the ${S.goodputWindowMs / 1000} s after the pause ends.
- **success**: share of original requests that eventually succeeded (whole run).
- **wasted**: share of the server's work whose answer reached a client that had already given up.
`)
for (const pauseMs of pauses) {
  md.push(`\n**Server paused ${pauseMs / 1000} s**\n`)
  md.push(
    markdownTable(
      [
        'load',
        'policy',
        'amplification',
        'recovery',
        'counting refused',
        'goodput (req/s)',
        'success',
        'wasted',
        'baseline p99',
      ],
      storm
        .filter((c) => c.pauseMs === pauseMs)
        .map((c) => [
          pct(c.load, 0),
          c.policy,
          f3(c.amplification),
          secs(c.recoveryMs),
          secs(c.clientRecoveryMs),
          c.goodputPerS.toFixed(0),
          pct(c.successRatio),
          pct(c.wastedRatio),
          `${c.baselineP99Ms.toFixed(1)} ms`,
        ]),
      ['r', 'l', 'r', 'r', 'r', 'r', 'r', 'r', 'r'],
    ),
  )
}
md.push('')
// Where the default does worse than not retrying, as its callers see it: said, not left to the tables.
const worse = storm.flatMap((c) => {
  const b = stormAt('no retries', c.load, c.pauseMs)
  if (c.policy !== DEFAULT || b === undefined) return []
  const later = c.clientRecoveryMs === undefined || (b.recoveryMs !== undefined && c.clientRecoveryMs > b.recoveryMs)
  return later || c.successRatio < b.successRatio
    ? [
        `${pct(c.load, 0)} load, ${c.pauseMs / 1000} s pause: recovery counting refused ${secs(c.clientRecoveryMs)} vs ${secs(b.recoveryMs)}, success ${pct(c.successRatio)} vs ${pct(b.successRatio)}`,
      ]
    : []
})
if (worse.length > 0) {
  md.push(`Where the default HTTP policy does worse than no retries at all, as its callers see it:

${worse.map((w) => `- ${w}`).join('\n')}

A short stall at moderate load is over before the throttle and the budget have learned from it:
the retries sent during the stall lengthen the backlog, and the throttle goes on refusing for a
few windows after the server is healthy. The targets are set at 90 % load, where not retrying
is itself slow to recover.
`)
}
for (const s of stormSvgs) md.push(`![goodput](${s})\n`)

const O = OUTAGE_SETUP
md.push(`### 3. Total outage

1, 10, 100 or 1 000 clients each send ${O.requestsPerSecondPerClient} req/s (Poisson) for ${O.durationMs / 1000} s; the server answers every attempt with a 503 after the network delay.
**Amplification** is attempts per original request over all ${O.durationMs / 1000} s; **once drained** counts
only requests first sent at or after t = ${O.drainedAfterMs / 1000} s, by which time each client's budget has
had ${O.drainedAfterMs / 1000} s (about ${(O.requestsPerSecondPerClient * O.drainedAfterMs) / 1000} failed requests) to drain. Budgets are per client, so the
client count changes only the sample size. The \`Budget\` window is sized in absolute terms
(1 retry/s per client): at 1 req/s it lets nearly every request retry once, which is the
trouble with windows not tied to traffic. The AWS-style quota needs about 50 failed
requests per client (500 tokens, 10 per failed request) before it stops retries.

${markdownTable(
  [
    'policy',
    ...outageClients.map((n) => `${n} client${n === 1 ? '' : 's'}`),
    ...outageClients.map((n) => `once drained, ${n}`),
  ],
  CLIENT_POLICIES.map((p) => [
    p.name,
    ...outageClients.map((n) =>
      f3(outage.find((c) => c.policy === p.name && c.clients === n)?.amplification ?? Number.NaN),
    ),
    ...outageClients.map((n) =>
      f3(outage.find((c) => c.policy === p.name && c.clients === n)?.drainedAmplification ?? Number.NaN),
    ),
  ]),
  ['l', ...outageClients.map((): 'r' => 'r'), ...outageClients.map((): 'r' => 'r')],
)}

### 4. Independent failures

${FAILURES_SETUP.clients} clients × ${FAILURES_SETUP.requestsPerSecondPerClient} req/s for ${FAILURES_SETUP.durationMs / 1000} s; every attempt fails (503) independently with
probability ${pct(FAILURES_SETUP.failureProbability, 0)}.

${markdownTable(
  ['policy', 'requests', 'success', 'amplification'],
  failures.map((c) => [c.policy, String(c.requests), pct(c.successRatio, 3), f3(c.amplification)]),
  ['l', 'r', 'r', 'r'],
)}
`)
writeFileSync(join(resultsDir, 'sim.md'), `${md.join('\n').trim()}\n`)
const readme = writeReadme(benchDir)

for (const t of targets) console.log(t)
progress(`wrote ${join(resultsDir, 'sim.md')} and ${readme}`)
