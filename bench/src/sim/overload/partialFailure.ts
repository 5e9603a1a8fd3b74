import type { ClientPolicy } from '../clientPolicies.ts'
import { deriveSeed } from '../deriveSeed.ts'
import { runOpenLoop } from '../openLoop.ts'

/** The fixed parameters of the partial-failure experiment. */
export const PARTIAL_SETUP: {
  readonly clients: 100
  readonly requestsPerSecondPerClient: 9
  readonly durationMs: 60_000
  readonly failureRates: readonly [0.1, 0.2, 0.33, 0.5]
} = Object.freeze({
  clients: 100,
  requestsPerSecondPerClient: 9,
  durationMs: 60_000,
  failureRates: Object.freeze([0.1, 0.2, 0.33, 0.5] as const),
} as const)

/** One cell of the partial-failure experiment. */
export interface PartialCell {
  readonly policy: string
  /** Probability that one attempt fails (one bad backend of N behind a load balancer: 1/N). */
  readonly failureRate: number
  readonly requests: number
  /** Fraction of original requests that succeeded. */
  readonly successRatio: number
  /** Attempts per original request. */
  readonly amplification: number
  /** Fraction of original requests refused locally by a throttle. */
  readonly refusedRatio: number
}

/**
 * Partial failure: every attempt lands on one of N backends at random and fails (503) when it
 * lands on the bad one, so each attempt fails independently with probability 1/N and a retry
 * may well succeed. 100 clients × 9 req/s for 60 s.
 */
export function runPartialFailure(policy: ClientPolicy, failureRate: number, seed: number): PartialCell {
  const s = PARTIAL_SETUP
  const r = runOpenLoop({
    clients: s.clients,
    requestsPerSecondPerClient: s.requestsPerSecondPerClient,
    durationMs: s.durationMs,
    timeoutMs: Infinity,
    server: { kind: 'flaky', failureProbability: failureRate },
    seed: deriveSeed(seed, 'partial', failureRate),
    makeClient: policy.makeClient,
  })
  return {
    policy: policy.name,
    failureRate,
    requests: r.requests,
    successRatio: r.succeeded / r.requests,
    amplification: r.attempts / r.requests,
    refusedRatio: r.refused / r.requests,
  }
}
