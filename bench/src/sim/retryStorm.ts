import type { ClientPolicy } from './clientPolicies.ts'
import { deriveSeed } from './deriveSeed.ts'
import { runOpenLoop } from './openLoop.ts'
import { percentile } from './percentile.ts'
import { recoveryTime } from './recoveryTime.ts'

/** The fixed parameters of the retry-storm experiment. */
export const STORM_SETUP: {
  readonly clients: 100
  readonly capacityPerS: 1000
  readonly timeoutMs: 1000
  readonly pauseAtMs: 10_000
  readonly observeAfterPauseMs: 60_000
  readonly baselineFromMs: 1000
  readonly goodputWindowMs: 30_000
} = Object.freeze({
  clients: 100,
  capacityPerS: 1000,
  timeoutMs: 1000,
  pauseAtMs: 10_000,
  observeAfterPauseMs: 60_000,
  baselineFromMs: 1000,
  goodputWindowMs: 30_000,
} as const)

/** One cell of the retry-storm experiment. */
export interface StormCell {
  readonly policy: string
  /** Offered load as a fraction of capacity (0.7 = 70 %). */
  readonly load: number
  readonly pauseMs: number
  /** Attempts per original request, over the whole run. */
  readonly amplification: number
  /**
   * Recovery time after the pause ends, in ms (see `recoveryTime`): the latency of the attempts
   * sent; `undefined` = not within the observation.
   */
  readonly recoveryMs: number | undefined
  /**
   * Recovery time as the callers see it, in ms: as `recoveryMs`, with every request a client-side
   * throttle refused counting as a timed-out attempt (it failed). Equals `recoveryMs` for a
   * policy without a throttle. `undefined` = not within the observation.
   */
  readonly clientRecoveryMs: number | undefined
  /** Successful answers per second during the `goodputWindowMs` after the pause ends. */
  readonly goodputPerS: number
  /** Fraction of original requests that eventually succeeded, over the whole run. */
  readonly successRatio: number
  /** Fraction of the server's work whose answer reached a client that had given up. */
  readonly wastedRatio: number
  /** The healthy p99 attempt latency before the pause, in ms. */
  readonly baselineP99Ms: number
  /** Successful answers per second, second by second (for charts). */
  readonly goodputSeries: readonly number[]
}

/**
 * The retry storm: 100 clients send Poisson traffic at `load` × 1 000 req/s to a FIFO
 * server of 1 000 req/s that stops for `pauseMs` at 10 s; clients time out after 1 s
 * (the server still does the work: it is wasted); the run lasts until 60 s after the
 * pause ends.
 */
export function runStorm(policy: ClientPolicy, load: number, pauseMs: number, seed: number): StormCell {
  const s = STORM_SETUP
  const pauseEndMs = s.pauseAtMs + pauseMs
  const durationMs = pauseEndMs + s.observeAfterPauseMs
  const r = runOpenLoop({
    clients: s.clients,
    requestsPerSecondPerClient: (load * s.capacityPerS) / s.clients,
    durationMs,
    timeoutMs: s.timeoutMs,
    server: { kind: 'fifo', capacityPerS: s.capacityPerS, pauseAtMs: s.pauseAtMs, pauseMs },
    // Every policy sees the same arrivals at the same load and pause.
    seed: deriveSeed(seed, 'storm', load, pauseMs),
    makeClient: policy.makeClient,
    keepLatencies: true,
  })
  const b = r.bucketMs
  const warmUp = r.latenciesPerBucket.slice(s.baselineFromMs / b, s.pauseAtMs / b).flat()
  const baselineP99Ms = percentile(warmUp, 0.99) ?? 0
  let good = 0
  for (let i = pauseEndMs / b; i < (pauseEndMs + s.goodputWindowMs) / b; i++) good += r.goodPerBucket[i] ?? 0
  const perSecond = 1000 / b
  const goodputSeries: number[] = []
  for (let i = 0; i < r.goodPerBucket.length; i += perSecond) {
    goodputSeries.push(r.goodPerBucket.slice(i, i + perSecond).reduce((a, x) => a + x, 0))
  }
  return {
    policy: policy.name,
    load,
    pauseMs,
    amplification: r.attempts / r.requests,
    recoveryMs: recoveryTime({
      latenciesPerBucket: r.latenciesPerBucket,
      bucketMs: b,
      baselineP99Ms,
      fromMs: pauseEndMs,
    }),
    clientRecoveryMs: recoveryTime({
      latenciesPerBucket: r.latenciesPerBucket,
      failedPerBucket: r.refusedPerBucket,
      bucketMs: b,
      baselineP99Ms,
      fromMs: pauseEndMs,
    }),
    goodputPerS: good / (s.goodputWindowMs / 1000),
    successRatio: r.succeeded / r.requests,
    wastedRatio: r.serverCompletions === 0 ? 0 : r.wastedCompletions / r.serverCompletions,
    baselineP99Ms,
    goodputSeries,
  }
}
