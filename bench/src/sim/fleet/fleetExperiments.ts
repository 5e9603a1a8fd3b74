import { HTTP_TOKEN_BUDGET_DEFAULTS } from '@redress/core/http'
import { deriveSeed } from '../deriveSeed.ts'
import { percentile } from '../percentile.ts'
import { recoveryTime } from '../recoveryTime.ts'
import { type FleetSetup, runFleetLoop, type SyncModel } from './fleetLoop.ts'

/** The fixed parameters of the fleet experiments. */
export const FLEET_SIM: {
  readonly processes: readonly number[]
  readonly requestsPerSecondPerProcess: 1
  readonly warmupMs: 5_000
  readonly outageMs: 60_000
  readonly firstWindowMs: 10_000
  readonly sync: SyncModel
  readonly sweepProcesses: 1_000
  readonly sweepIntervalsMs: readonly number[]
  readonly sweepRttsMs: readonly number[]
  readonly storm: {
    readonly capacityPerS: 1_000
    readonly load: 0.9
    readonly timeoutMs: 1_000
    readonly pauseAtMs: 10_000
    readonly pausesMs: readonly number[]
    readonly observeAfterPauseMs: 60_000
    readonly baselineFromMs: 1_000
    readonly goodputWindowMs: 30_000
    readonly windowAfterPauseMs: 10_000
  }
} = Object.freeze({
  processes: Object.freeze([10, 100, 1000]),
  requestsPerSecondPerProcess: 1,
  warmupMs: 5_000,
  outageMs: 60_000,
  firstWindowMs: 10_000,
  sync: Object.freeze({ syncIntervalMs: 100, redisRttMs: 1 }),
  sweepProcesses: 1_000,
  sweepIntervalsMs: Object.freeze([50, 100, 500, 1000]),
  sweepRttsMs: Object.freeze([1, 10]),
  storm: Object.freeze({
    capacityPerS: 1_000,
    load: 0.9,
    timeoutMs: 1_000,
    pauseAtMs: 10_000,
    pausesMs: Object.freeze([2000, 5000]),
    observeAfterPauseMs: 60_000,
    baselineFromMs: 1_000,
    goodputWindowMs: 30_000,
    windowAfterPauseMs: 10_000,
  }),
} as const)

/** The set-ups compared: state per process (today) or fleet-wide (`@redress/redis`). */
export const FLEET_SETUPS: readonly FleetSetup[] = Object.freeze([
  { name: 'budget per process', budget: 'process', breaker: 'none' },
  { name: 'fleet budget', budget: 'fleet', breaker: 'none' },
  { name: 'budget + breaker per process', budget: 'process', breaker: 'process' },
  { name: 'fleet budget + fleet breaker', budget: 'fleet', breaker: 'fleet' },
] satisfies FleetSetup[])

/** One cell of the fleet outage experiment. */
export interface FleetOutageCell {
  readonly setup: string
  readonly processes: number
  readonly syncIntervalMs: number
  readonly redisRttMs: number
  /** Retries sent into the outage in its first 10 s. */
  readonly retriesFirst10s: number
  /** Attempts (first and retries) sent into the outage in its first 10 s. */
  readonly attemptsFirst10s: number
  /** When the last retry went out, in ms after the outage began (0: none). */
  readonly lastRetryMs: number
  /** When the fleet stopped sending anything but probes, in ms after the outage began; undefined: it never did. */
  readonly stopsSendingMs: number | undefined
  /** Half-open probe requests during the outage. */
  readonly probes: number
  /** Script calls per second the fleet made on Redis. */
  readonly redisCallsPerS: number
}

/**
 * The total outage, for a fleet: `processes` processes each send 1 req/s (Poisson) to one
 * upstream; it is healthy for 5 s (everyone synced, budgets full), then answers every attempt
 * with a 503 for `outageMs` (60 s).
 */
export function runFleetOutage(
  setup: FleetSetup,
  processes: number,
  seed: number,
  sync: SyncModel = FLEET_SIM.sync,
  outageMs: number = FLEET_SIM.outageMs,
): FleetOutageCell {
  const f = FLEET_SIM
  const from = f.warmupMs
  const durationMs = from + outageMs
  const r = runFleetLoop({
    processes,
    requestsPerSecondPerProcess: f.requestsPerSecondPerProcess,
    durationMs,
    timeoutMs: Infinity,
    server: { kind: 'flaky', failureProbability: 1, fromMs: from },
    setup,
    sync,
    // Every set-up sees the same arrivals for a given fleet size.
    seed: deriveSeed(seed, 'fleet-outage', processes),
  })
  const b = r.bucketMs
  const sum = (series: readonly number[], fromMs: number, toMs: number): number =>
    series.slice(fromMs / b, toMs / b).reduce((a, x) => a + x, 0)
  // A fleet still sending in the last second of the run never stopped.
  const stopped = r.lastNonProbeAttemptMs < durationMs - 1000
  return {
    setup: setup.name,
    processes,
    syncIntervalMs: sync.syncIntervalMs,
    redisRttMs: sync.redisRttMs,
    retriesFirst10s: sum(r.retriesPerBucket, from, from + f.firstWindowMs),
    attemptsFirst10s: sum(r.attemptsPerBucket, from, from + f.firstWindowMs),
    lastRetryMs: Math.max(0, r.lastRetryMs - from),
    stopsSendingMs: stopped ? Math.max(0, r.lastNonProbeAttemptMs - from) : undefined,
    probes: r.probes,
    redisCallsPerS: r.redisCalls / (durationMs / 1000),
  }
}

/** One cell of the fleet retry-storm experiment. */
export interface FleetStormCell {
  readonly setup: string
  readonly processes: number
  readonly pauseMs: number
  /** Attempts per original request over the whole run. */
  readonly amplification: number
  /** Retries sent from the start of the pause to 10 s after its end. */
  readonly retriesAroundPause: number
  /** Recovery after the pause ends, in ms (see `recoveryTime`); undefined: not within the run. */
  readonly recoveryMs: number | undefined
  /** Successful answers per second in the 30 s after the pause. */
  readonly goodputPerS: number
  /** Share of original requests that eventually succeeded. */
  readonly successRatio: number
  /** Share of original requests the breaker refused. */
  readonly rejectedRatio: number
}

/**
 * The retry storm, for a fleet: `processes` processes share Poisson traffic at 90 % of a FIFO
 * server's 1 000 req/s; the server stops for `pauseMs` at 10 s; clients give up on an attempt
 * after 1 s (the server still does the work); traffic goes on until 60 s after the pause.
 */
export function runFleetStorm(setup: FleetSetup, processes: number, pauseMs: number, seed: number): FleetStormCell {
  const s = FLEET_SIM.storm
  const pauseEndMs = s.pauseAtMs + pauseMs
  const r = runFleetLoop({
    processes,
    requestsPerSecondPerProcess: (s.load * s.capacityPerS) / processes,
    durationMs: pauseEndMs + s.observeAfterPauseMs,
    timeoutMs: s.timeoutMs,
    server: { kind: 'fifo', capacityPerS: s.capacityPerS, pauseAtMs: s.pauseAtMs, pauseMs },
    setup,
    sync: FLEET_SIM.sync,
    seed: deriveSeed(seed, 'fleet-storm', processes, pauseMs),
    keepLatencies: true,
  })
  const b = r.bucketMs
  const warmUp = r.latenciesPerBucket.slice(s.baselineFromMs / b, s.pauseAtMs / b).flat()
  const baselineP99Ms = percentile(warmUp, 0.99) ?? 0
  let good = 0
  for (let i = pauseEndMs / b; i < (pauseEndMs + s.goodputWindowMs) / b; i++) good += r.goodPerBucket[i] ?? 0
  return {
    setup: setup.name,
    processes,
    pauseMs,
    amplification: r.attempts / r.requests,
    retriesAroundPause: r.retriesPerBucket
      .slice(s.pauseAtMs / b, (pauseEndMs + s.windowAfterPauseMs) / b)
      .reduce((a, x) => a + x, 0),
    recoveryMs: recoveryTime({
      latenciesPerBucket: r.latenciesPerBucket,
      bucketMs: b,
      baselineP99Ms,
      fromMs: pauseEndMs,
    }),
    goodputPerS: good / (s.goodputWindowMs / 1000),
    successRatio: r.succeeded / r.requests,
    rejectedRatio: r.rejected / r.requests,
  }
}

/** One row of the fleet-budget defaults check. */
export interface FleetDefaultsCell {
  readonly maxTokens: number
  readonly tokenRatio: number
  readonly budget: 'process' | 'fleet'
  /** Retries sent into a total outage in its first 10 s (100 processes). */
  readonly retriesFirst10s: number
  /** Success with independent 5 % failures (100 processes, 60 s). */
  readonly successRatio: number
  /** Success with independent 33 % failures (one bad backend of three; 100 processes, 60 s). */
  readonly successAtThirdRatio: number
}

/** The bucket sizes compared for the fleet budget's defaults (100 processes). */
export const FLEET_DEFAULT_CANDIDATES: readonly Pick<FleetDefaultsCell, 'budget' | 'maxTokens' | 'tokenRatio'>[] =
  Object.freeze([
    { budget: 'process', ...HTTP_TOKEN_BUDGET_DEFAULTS },
    { budget: 'fleet', ...HTTP_TOKEN_BUDGET_DEFAULTS },
    { budget: 'fleet', maxTokens: 10, tokenRatio: 0.2 },
    { budget: 'fleet', maxTokens: 200, tokenRatio: 2 },
  ])

/**
 * Why the fleet budget keeps the bucket `httpPolicy` gives each origin (`HTTP_TOKEN_BUDGET_DEFAULTS`):
 * at 100 processes, retries into a total outage in its first 10 s, and success with independent
 * 5 % and 33 % failures, for a few bucket sizes.
 */
export function runFleetDefaults(
  candidate: Pick<FleetDefaultsCell, 'budget' | 'maxTokens' | 'tokenRatio'>,
  seed: number,
): FleetDefaultsCell {
  const setup: FleetSetup = { name: 'defaults', breaker: 'none', ...candidate }
  const outage = runFleetOutage(setup, 100, seed)
  const success = (failureProbability: number): number => {
    const r = runFleetLoop({
      processes: 100,
      requestsPerSecondPerProcess: 1,
      durationMs: 60_000,
      timeoutMs: Infinity,
      server: { kind: 'flaky', failureProbability },
      setup,
      sync: FLEET_SIM.sync,
      seed: deriveSeed(seed, 'fleet-failures', failureProbability),
    })
    return r.succeeded / r.requests
  }
  return {
    ...candidate,
    retriesFirst10s: outage.retriesFirst10s,
    successRatio: success(0.05),
    successAtThirdRatio: success(1 / 3),
  }
}
