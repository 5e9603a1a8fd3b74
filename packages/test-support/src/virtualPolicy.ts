import { type HttpPolicyOptions, type HttpRetryPolicy, httpPolicy } from '@redress/core/http'
import { FakeClock } from '@redress/core/testing'

/** A policy on virtual time, its clock and the backoff sleeps it asked for, in milliseconds. */
export interface VirtualPolicy {
  readonly policy: HttpRetryPolicy
  readonly clock: FakeClock
  readonly sleeps: number[]
}

/**
 * An HTTP policy on a FakeClock with `random` fixed at 0: every backoff sleep is recorded and
 * jumped over at once by advancing the clock. `options` override any of these.
 */
export function virtualPolicy(options: HttpPolicyOptions = {}): VirtualPolicy {
  const clock = new FakeClock()
  const sleeps: number[] = []
  const policy = httpPolicy({
    clock,
    random: () => 0,
    sleeper: async (ms) => {
      sleeps.push(ms)
      await clock.advance(ms)
    },
    ...options,
  })
  return { policy, clock, sleeps }
}
