/**
 * The retry/stop decision (policy/decide.ts), pinned through the public RetryPolicy on a
 * FakeClock: cases the mutation run (`pnpm mutation`) showed no other test decided. Imports go
 * through the package entries only, so moving the policy's files does not break them.
 */
import {
  type Classification,
  ErrorClass,
  type RetryBudget,
  type RetryOptions,
  RetryPolicy,
  StopReason,
  TransientError,
} from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { describe, expect, it } from 'vitest'
import { drain } from './support/drain.ts'

/** Fails `failures` times with `error`, then returns 'ok'. */
function failing(failures: number, error: unknown = new TransientError('x')) {
  let calls = 0
  return {
    fn: async (): Promise<string> => {
      if (calls++ < failures) throw error
      return 'ok'
    },
    calls: () => calls,
  }
}

function policyAt(startMs: number, options: RetryOptions) {
  const clock = new FakeClock(startMs)
  return { clock, policy: new RetryPolicy({ clock, random: () => 0, ...options }) }
}

const rateLimited = (retryAfterMs: number) => (): Classification => ({
  errorClass: ErrorClass.RATE_LIMIT,
  retryAfterMs,
})

describe('decide: the deadline', () => {
  it('retries without a deadline at any clock time', async () => {
    const { clock, policy } = policyAt(5_000, { deadlineMs: Infinity, strategy: () => 10 })
    const op = failing(2)
    const outcome = await drain(clock, policy.execute(op.fn))
    expect(outcome).toMatchObject({ ok: true, attempts: 3 })
  })

  it('stops at a deadline reached exactly, without asking the strategy', async () => {
    const strategy = (): number => {
      asked++
      return 1
    }
    let asked = 0
    const { clock, policy } = policyAt(0, { deadlineMs: 1_000, strategy })
    const run = policy.start()
    expect(run.beginAttempt()).toBeUndefined() // the attempt starts at 0 and fails at the deadline
    await clock.advance(1_000)
    expect(run.recordFailure(new TransientError('x'))).toEqual({
      retry: false,
      stopReason: StopReason.DEADLINE_EXCEEDED,
    })
    expect(asked).toBe(0)
  })

  it('marks the run done when it stops', () => {
    const { policy } = policyAt(0, { maxAttempts: 1 })
    const run = policy.start()
    expect(run.recordFailure(new TransientError('x'))).toMatchObject({ retry: false })
    expect(run.state.done).toBe(true)
  })
})

describe("decide: the server's delay", () => {
  it('gives up when the server asks for exactly the time left, even if the strategy would not wait', async () => {
    const { clock, policy } = policyAt(0, { deadlineMs: 1_000, strategy: () => 0, classifier: rateLimited(1_000) })
    const outcome = await drain(clock, policy.execute(failing(5).fn))
    expect(outcome).toMatchObject({
      ok: false,
      attempts: 1,
      stopReason: StopReason.DEADLINE_EXCEEDED,
      nextSleepMs: 1_000,
    })
  })

  it('retries when the server asks for just under the time left', async () => {
    const { clock, policy } = policyAt(0, { deadlineMs: 1_000, strategy: () => 0, classifier: rateLimited(999) })
    const outcome = await drain(clock, policy.execute(failing(1).fn))
    expect(outcome).toMatchObject({ ok: true, attempts: 2 })
  })

  it('accepts a server delay equal to maxRetryAfterMs and refuses one above it', async () => {
    const at = (retryAfterMs: number) => {
      const { clock, policy } = policyAt(0, {
        maxRetryAfterMs: 500,
        strategy: () => 0,
        classifier: rateLimited(retryAfterMs),
      })
      return drain(clock, policy.execute(failing(1).fn))
    }
    expect(await at(500)).toMatchObject({ ok: true, attempts: 2 })
    expect(await at(501)).toMatchObject({ ok: false, stopReason: StopReason.DEADLINE_EXCEEDED, nextSleepMs: 501 })
  })

  it("says the sleep came from the server only when it is at least the server's delay", async () => {
    const sources = async (strategyMs: number, classifier?: () => Classification) => {
      const { clock, policy } = policyAt(0, { strategy: () => strategyMs, ...(classifier && { classifier }) })
      const outcome = await drain(clock, policy.execute(failing(1).fn, { captureTimeline: true }))
      return outcome.timeline?.map((entry) => entry.sleepSource)
    }
    expect(await sources(100)).toEqual(['strategy', undefined])
    expect(await sources(100, rateLimited(500))).toEqual(['strategy', undefined])
    expect(await sources(500, rateLimited(500))).toEqual(['retry_after', undefined])
    expect(await sources(800, rateLimited(500))).toEqual(['retry_after', undefined])
  })
})

describe('decide: the sleep and the budget', () => {
  it('turns a negative zero from the strategy into a plain 0 ms sleep', async () => {
    const { clock, policy } = policyAt(0, { strategy: () => -0 })
    const outcome = await drain(clock, policy.execute(failing(1).fn, { captureTimeline: true }))
    expect(Object.is(outcome.timeline?.[0]?.sleepMs, 0)).toBe(true)
  })

  it('retries when the budget throws (a broken budget fails open)', async () => {
    const budget: RetryBudget = {
      tryAcquire: () => {
        throw new Error('store down')
      },
      recordSuccess: () => undefined,
      recordFailure: () => undefined,
    }
    const { clock, policy } = policyAt(0, { strategy: () => 10, budget })
    expect(await drain(clock, policy.execute(failing(2).fn))).toMatchObject({ ok: true, attempts: 3 })
  })

  it('stops with BUDGET_EXHAUSTED when the budget says no, with the sleep it would have taken', async () => {
    const budget: RetryBudget = {
      tryAcquire: () => false,
      recordSuccess: () => undefined,
      recordFailure: () => undefined,
    }
    const { clock, policy } = policyAt(0, { strategy: () => 10, budget })
    expect(await drain(clock, policy.execute(failing(2).fn))).toMatchObject({
      ok: false,
      attempts: 1,
      stopReason: StopReason.BUDGET_EXHAUSTED,
      nextSleepMs: 10,
    })
  })
})
