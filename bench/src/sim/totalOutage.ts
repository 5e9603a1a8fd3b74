import type { ClientPolicy } from './clientPolicies.ts'
import { deriveSeed } from './deriveSeed.ts'
import { runOpenLoop } from './openLoop.ts'

/** The fixed parameters of the total-outage experiment. */
export const OUTAGE_SETUP: {
  readonly requestsPerSecondPerClient: 1
  readonly durationMs: 60_000
  readonly drainedAfterMs: 10_000
} = Object.freeze({ requestsPerSecondPerClient: 1, durationMs: 60_000, drainedAfterMs: 10_000 } as const)

/** One cell of the total-outage experiment. */
export interface OutageCell {
  readonly policy: string
  readonly clients: number
  /** Original requests sent. */
  readonly requests: number
  /** Attempts per original request, over all requests of the 60 s. */
  readonly amplification: number
  /** Attempts per original request, over requests first sent at or after `drainedAfterMs`. */
  readonly drainedAmplification: number
}

/**
 * The total outage: `clients` clients each send 1 req/s for 60 s to a server that
 * answers every attempt with a 503.
 */
export function runOutage(policy: ClientPolicy, clients: number, seed: number): OutageCell {
  const o = OUTAGE_SETUP
  const r = runOpenLoop({
    clients,
    requestsPerSecondPerClient: o.requestsPerSecondPerClient,
    durationMs: o.durationMs,
    // Answers come back in ~20 ms; a client timeout never fires.
    timeoutMs: Infinity,
    server: { kind: 'flaky', failureProbability: 1 },
    seed: deriveSeed(seed, 'outage', clients),
    makeClient: policy.makeClient,
  })
  let late = 0
  let lateAttempts = 0
  for (let i = 0; i < r.requests; i++) {
    if ((r.requestStartMs[i] ?? 0) >= o.drainedAfterMs) {
      late++
      lateAttempts += r.requestAttempts[i] ?? 0
    }
  }
  return {
    policy: policy.name,
    clients,
    requests: r.requests,
    amplification: r.attempts / r.requests,
    drainedAmplification: late === 0 ? Number.NaN : lateAttempts / late,
  }
}
