import { type HttpPolicyOptions, type HttpRetryPolicy, httpPolicy } from '@redress/core/http'
import { WatchedClock } from './WatchedClock.ts'

/** A policy on virtual time, its clock and the backoff sleeps it asked for, in milliseconds. */
export interface VirtualPolicy {
  readonly policy: HttpRetryPolicy
  readonly clock: WatchedClock
  readonly sleeps: number[]
}

/**
 * An HTTP policy on a FakeClock (a {@link WatchedClock}, which a test can wait on) with `random`
 * fixed at 0: every backoff sleep is recorded and jumped over at once by advancing the clock.
 * `options` override any of these.
 */
export function virtualPolicy(options: HttpPolicyOptions = {}): VirtualPolicy {
  const clock = new WatchedClock()
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
