import { type HttpPolicyOptions, type HttpRetryPolicy, httpPolicy } from '@redress/core/http'
import { FakeClock } from '@redress/core/testing'

/** An HTTP policy on virtual time: backoff sleeps are recorded and jumped over at once. */
export function virtualPolicy(options: HttpPolicyOptions = {}): {
  policy: HttpRetryPolicy
  clock: FakeClock
  sleeps: number[]
} {
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
