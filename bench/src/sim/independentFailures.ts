import type { ClientPolicy } from './clientPolicies.ts'
import { deriveSeed } from './deriveSeed.ts'
import { runOpenLoop } from './openLoop.ts'

/** The fixed parameters of the independent-failures check. */
export const FAILURES_SETUP: {
  readonly clients: 100
  readonly requestsPerSecondPerClient: 9
  readonly durationMs: 60_000
  readonly failureProbability: 0.05
} = Object.freeze({
  clients: 100,
  requestsPerSecondPerClient: 9,
  durationMs: 60_000,
  failureProbability: 0.05,
} as const)

/** One row of the independent-failures check. */
export interface FailuresCell {
  readonly policy: string
  readonly requests: number
  /** Fraction of original requests that succeeded. */
  readonly successRatio: number
  /** Attempts per original request. */
  readonly amplification: number
}

/** Every attempt fails (503) independently with probability 5 %; how many requests end in success? */
export function runIndependentFailures(policy: ClientPolicy, seed: number): FailuresCell {
  const f = FAILURES_SETUP
  const r = runOpenLoop({
    clients: f.clients,
    requestsPerSecondPerClient: f.requestsPerSecondPerClient,
    durationMs: f.durationMs,
    timeoutMs: Infinity,
    server: { kind: 'flaky', failureProbability: f.failureProbability },
    seed: deriveSeed(seed, 'failures'),
    makeClient: policy.makeClient,
  })
  return {
    policy: policy.name,
    requests: r.requests,
    successRatio: r.succeeded / r.requests,
    amplification: r.attempts / r.requests,
  }
}
