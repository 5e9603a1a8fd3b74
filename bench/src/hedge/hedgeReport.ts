import { median } from '../overhead/median.ts'
import { lineChart } from '../report/lineChart.ts'
import { markdownTable } from '../report/markdownTable.ts'
import { percentile } from '../sim/percentile.ts'
import { TAIL_LATENCY } from './tailLatency.ts'

/** What the issue asks of hedging against no hedging, in one run. */
export const HEDGE_TARGETS: {
  /** p99 without hedging ÷ p99 with it, at least. */
  readonly minP99Ratio: 5
  /** Extra requests sent, at most (a fraction of the calls). */
  readonly maxExtraRequests: 0.05
} = Object.freeze({ minP99Ratio: 5, maxExtraRequests: 0.05 } as const)

/**
 * A round the machine did not disturb: the client's own timers ran at most `maxLagP99Ms` late at
 * p99 and paused at most `maxLagMaxMs` (half the slow band's shortest delay, so a pause cannot
 * pass for a slow response). A pause hits every variant of a round alike, but it caps what any
 * of them can show: a round where the client itself ran 50 ms late says nothing about hedging.
 */
export const UNDISTURBED: { readonly maxLagP99Ms: 20; readonly maxLagMaxMs: 50 } = Object.freeze({
  maxLagP99Ms: 20,
  maxLagMaxMs: 50,
} as const)

/** True for a round the machine did not disturb (see {@link UNDISTURBED}). */
export function undisturbed(round: HedgeRound): boolean {
  return round.lagP99Ms <= UNDISTURBED.maxLagP99Ms && round.lagMaxMs <= UNDISTURBED.maxLagMaxMs
}

/** One variant's measurements (in one round, or pooled over the rounds). */
export interface HedgeVariantResult {
  readonly name: string
  /** The `hedge` option, as shown in the table. */
  readonly option: string
  /** One latency per call, in ms. */
  readonly latencies: number[]
  readonly failures: number
  /** Calls made, and requests the server received for them. */
  readonly calls: number
  readonly requests: number
}

/** One round: every variant side by side, and how late the client's own timers ran meanwhile. */
export interface HedgeRound {
  /** The variants, no hedging first. */
  readonly variants: readonly HedgeVariantResult[]
  /** The client's event-loop delay (`monitorEventLoopDelay`) during the round, p99 and max, in ms. */
  readonly lagP99Ms: number
  readonly lagMaxMs: number
}

/** What the run was. */
export interface HedgeRunInfo {
  readonly command: string
  readonly node: string
  readonly machine: string
  readonly loadAtStart: string
  readonly loadAtEnd: string
  readonly durationS: number
  /** Calls per second per variant. */
  readonly ratePerSecond: number
  /** Measured calls per variant per round. */
  readonly calls: number
  readonly warmupCalls: number
  readonly chartFile: string
}

/** A hedged variant against no hedging: p99 ratio and extra requests, and whether they meet the targets. */
export interface HedgeVerdict {
  readonly name: string
  readonly p99Ratio: number
  readonly extra: number
  readonly pass: boolean
}

const QUANTILES = [0.5, 0.99, 0.999] as const

function q(values: readonly number[], at: number): number {
  return percentile([...values], at) ?? Number.NaN
}

function extraOf(r: HedgeVariantResult): number {
  return r.calls === 0 ? Number.NaN : r.requests / r.calls - 1
}

function passes(p99Ratio: number, extra: number): boolean {
  // A tolerance, so that exactly 5 % (105 / 100 - 1 in floating point) passes.
  return p99Ratio >= HEDGE_TARGETS.minP99Ratio && extra <= HEDGE_TARGETS.maxExtraRequests + 1e-9
}

/** Each hedged variant against the first (no hedging), in one set of results. */
export function judgeHedging(results: readonly HedgeVariantResult[]): HedgeVerdict[] {
  const [baseline, ...hedged] = results
  if (baseline === undefined) return []
  const baseP99 = q(baseline.latencies, 0.99)
  return hedged.map((r) => {
    const p99Ratio = baseP99 / q(r.latencies, 0.99)
    const extra = extraOf(r)
    return { name: r.name, p99Ratio, extra, pass: passes(p99Ratio, extra) }
  })
}

/**
 * Each hedged variant over the rounds: the median round's p99 ratio and extra requests. A pause
 * of the machine longer than the slow band sets every variant's p99 in the round it hits (and a
 * shared machine pauses); the median round is what hedging does, the pooled table what the run saw.
 */
export function judgeRounds(rounds: readonly HedgeRound[]): HedgeVerdict[] {
  const perRound = rounds.map((r) => judgeHedging(r.variants))
  const first = perRound[0] ?? []
  return first.map((v, k) => {
    const p99Ratio = median(perRound.map((verdicts) => verdicts[k]?.p99Ratio ?? Number.NaN))
    const extra = median(perRound.map((verdicts) => verdicts[k]?.extra ?? Number.NaN))
    return { name: v.name, p99Ratio, extra, pass: passes(p99Ratio, extra) }
  })
}

/** The rounds' results per variant, pooled. */
export function pooled(rounds: readonly HedgeRound[]): HedgeVariantResult[] {
  const first = rounds[0]?.variants ?? []
  return first.map((v, k) => {
    const all = rounds.map((r) => r.variants[k] as HedgeVariantResult)
    return {
      name: v.name,
      option: v.option,
      latencies: all.flatMap((r) => r.latencies),
      failures: all.reduce((n, r) => n + r.failures, 0),
      calls: all.reduce((n, r) => n + r.calls, 0),
      requests: all.reduce((n, r) => n + r.requests, 0),
    }
  })
}

/** The PASS/MISSED line of one verdict. */
export function hedgeVerdictLine(v: HedgeVerdict): string {
  return `${v.pass ? 'PASS' : 'MISSED'} ${v.name}: p99 ${v.p99Ratio.toFixed(1)}× lower than without hedging (target ≥ ${HEDGE_TARGETS.minP99Ratio}×) for ${(100 * v.extra).toFixed(2)} % more requests (target ≤ ${100 * HEDGE_TARGETS.maxExtraRequests} %)`
}

const ms = (v: number): string => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : '—')
const pct = (v: number): string => `${(100 * v).toFixed(2)} %`

/**
 * The latency of each variant by percentile, as an SVG line chart: x is the number of nines
 * (1 = p90, 2 = p99, 3 = p99.9), y the latency in ms on a log axis.
 */
export function hedgeChart(results: readonly HedgeVariantResult[], title: string): string {
  const nines: number[] = []
  for (let n = 0.3; n <= 3.0001; n += 0.05) nines.push(Number(n.toFixed(2)))
  return lineChart({
    title,
    xLabel: 'percentile, in nines (1 = p90, 2 = p99, 3 = p99.9)',
    yLabel: 'latency (ms, log)',
    logY: true,
    series: results.map((r) => {
      const sorted = [...r.latencies].sort((a, b) => a - b)
      return {
        name: r.name,
        points: nines.map((n) => [n, percentile(sorted, 1 - 10 ** -n) ?? Number.NaN] as const),
      }
    }),
  })
}

/** The `results/hedge.md` section. */
export function hedgeReport(rounds: readonly HedgeRound[], info: HedgeRunInfo): string {
  const quiet = rounds.filter(undisturbed)
  const verdicts = judgeRounds(rounds)
  const quietVerdicts = judgeRounds(quiet)
  const results = pooled(rounds)
  const rows = results.map((r) => [
    r.name,
    `\`${r.option}\``,
    ...QUANTILES.map((at) => ms(q(r.latencies, at))),
    String(r.calls),
    String(r.requests),
    pct(extraOf(r)),
    String(r.failures),
  ])
  const hedgedNames = results.slice(1).map((r) => r.name)
  const roundRows = rounds.map((round, i) => {
    const base = q(round.variants[0]?.latencies ?? [], 0.99)
    const judged = judgeHedging(round.variants)
    return [
      String(i + 1),
      `${ms(round.lagP99Ms)} / ${ms(round.lagMaxMs)}${undisturbed(round) ? '' : ' (disturbed)'}`,
      ms(base),
      ...judged.flatMap((v, k) => [
        `${ms(q(round.variants[k + 1]?.latencies ?? [], 0.99))} (${v.p99Ratio.toFixed(1)}×)`,
        pct(v.extra),
      ]),
    ]
  })
  const t = TAIL_LATENCY
  return `## Hedging (\`pnpm bench\`, part 2: \`pnpm bench:hedge\`)

Hedged requests (issue 18) against a loopback server with a heavy tail: each request, hedges
included, is answered after ${t.fastMs} ms, or — for ${100 * t.slowFraction} % of them, drawn independently —
after ${t.slowMinMs}–${t.slowMaxMs} ms (uniform). Each variant is called at a fixed rate of ${info.ratePerSecond} calls per
second (an open loop: a slow response never delays the next call; latency is measured from each
call's scheduled time to its body read) through \`undici.request\` on an \`Agent\` composed with
\`redressInterceptor({ policy: httpPolicy({ hedge }) })\` — one agent and policy per variant, the
default per-origin budget and throttle on. The variants run side by side in one loop (call i
goes through variant i mod 3), in ${rounds.length} rounds of ${info.calls} calls per variant, after ${info.warmupCalls} unmeasured
calls each; extra requests are the requests the server received for a variant beyond one per
call.

The verdicts take the median round. This runs on a shared machine: when it pauses the client's
or the server's process, every call in flight waits, whatever the variant, and a round with
pauses near the slow band says nothing about hedging. Each round therefore records how late the
client's own timers ran in it (\`monitorEventLoopDelay\`); a round is undisturbed when they ran at
most ${UNDISTURBED.maxLagP99Ms} ms late at p99 and ${UNDISTURBED.maxLagMaxMs} ms at worst. The first verdicts take the undisturbed rounds
(${quiet.length} of ${rounds.length}), the second every round; the per-round table shows each, and the first table pools
every call of the run, pauses included.

${
  quiet.length === 0
    ? '**No round was undisturbed: the machine was too busy to judge hedging.**'
    : quietVerdicts
        .map((v) => `**${hedgeVerdictLine(v)}** (median of the ${quiet.length} undisturbed rounds)`)
        .join('\n\n')
}

${verdicts.map((v) => `${hedgeVerdictLine(v)} (median of all ${rounds.length} rounds)`).join('\n\n')}

${markdownTable(['variant', '`hedge`', 'p50 ms', 'p99 ms', 'p99.9 ms', 'calls', 'requests', 'extra', 'failed'], rows, [
  'l',
  'l',
  'r',
  'r',
  'r',
  'r',
  'r',
  'r',
  'r',
])}

${markdownTable(
  [
    'round',
    'client timer lag p99 / max ms',
    'p99 ms, no hedging',
    ...hedgedNames.flatMap((name) => [`p99 ms, ${name}`, `extra, ${name}`]),
  ],
  roundRows,
  ['r', 'r', 'r', ...hedgedNames.flatMap(() => ['r', 'r'] as const)],
)}

![Latency by percentile of each variant, every call of the run](${info.chartFile})

Why the numbers look like this: a call is slow only when its first request is slow and, with
hedging, its hedge is slow too (${100 * t.slowFraction} % × ${100 * t.slowFraction} %), so p99 drops from the slow band to about
the hedge delay plus one fast response. A fixed \`afterMs\` above the fast band hedges only the
slow ${100 * t.slowFraction} % (plus fast responses the machine made late); the quantile default hedges whatever is
slower than the running p95 of the origin's latency, but never sooner than twice its median
(\`HEDGE_DEFAULTS.medianMultiple\`) — about 5 % of calls, some of them fast responses that were
merely late — and never more than 5 % of an origin's calls plus a burst of 10
(\`HEDGE_DEFAULTS.burstHedges\`), so a stretch in which the machine makes every response late
cannot multiply the load. That cap is why the median floor matters: with ${100 * t.slowFraction} % of responses slow,
a p95 falls at the top of the fast band, and without the floor the hedges sent for fast responses
only a little late would use up the 5 % share and leave slow calls unhedged; a hedge answers about
a median after it starts, so one sent sooner than twice the median cannot win.

Run on Node ${info.node}, ${info.machine}; load average ${info.loadAtStart} at the start and ${info.loadAtEnd} at
the end (1, 5, 15 min): a shared, loaded machine, which stretches the fast band.
${info.durationS.toFixed(0)} s. Written by \`${info.command}\`; set \`HEDGE_BENCH_RATE\`, \`HEDGE_BENCH_ROUNDS\`,
\`HEDGE_BENCH_CALLS\` and \`HEDGE_BENCH_WARMUP\` to change the load.
`
}
