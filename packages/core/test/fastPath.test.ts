/**
 * With no hook, breaker, abortIf, timeline or diagnostics subscriber, a first attempt that
 * succeeds skips the run bookkeeping. These tests pin that the shortcut changes nothing a
 * caller can observe.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { adaptive, ErrorClass, RetryPolicy, ServerError, TokenBudget, TransientError } from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { describe, expect, it } from 'vitest'
import { drain } from './support/drain.ts'

describe('the quiet first-attempt path', () => {
  it('returns the same outcome shape as the full run', async () => {
    const clock = new FakeClock()
    const quiet = await new RetryPolicy({ clock }).execute(async () => 'v')
    const loud = await new RetryPolicy({ clock, onMetric: () => {} }).execute(async () => 'v')
    expect(quiet).toEqual(loud)
  })

  it('still credits the budget and the observers with a first-try success', async () => {
    const clock = new FakeClock()
    const budget = new TokenBudget({ maxTokens: 10, tokenRatio: 1 })
    for (let i = 0; i < 6; i++) budget.recordFailure(ErrorClass.SERVER_ERROR)
    const strategy = adaptive(() => 100, { clock, targetSuccess: 0.5, maxMultiplier: 4 })
    await drain(
      clock,
      new RetryPolicy({ clock, budget }).call(async () => 'ok'),
    )
    expect(budget.tokens).toBe(5)
    const policy = new RetryPolicy({ clock, strategy })
    await drain(
      clock,
      policy.call(async () => 'ok'),
    )
    // one success seen by adaptive: a failure now is 1 in 2, at the 50 % target, so no stretch
    let n = 0
    const sleeps: number[] = []
    await drain(
      clock,
      policy.call(async () => (n++ === 0 ? Promise.reject(new ServerError()) : 'ok'), {
        onMetric: (e, _a, s) => e === 'retry' && sleeps.push(s),
      }),
    )
    expect(sleeps).toEqual([100])
  })

  it('hands a failed first attempt to the full run, which retries it', async () => {
    const clock = new FakeClock()
    let n = 0
    const outcome = await drain(
      clock,
      new RetryPolicy({ clock, strategy: () => 40 }).execute(async () => {
        if (n++ === 0) throw new TransientError()
        return 'second'
      }),
    )
    expect(outcome).toMatchObject({ ok: true, value: 'second', attempts: 2, elapsedMs: 40 })
  })

  it('hands a value the result classifier rejects to the full run', async () => {
    const clock = new FakeClock()
    const values = [{ status: 503 }, { status: 200 }]
    let i = 0
    const outcome = await drain(
      clock,
      new RetryPolicy({
        clock,
        strategy: () => 1,
        resultClassifier: (v) => ((v as { status: number }).status >= 500 ? ErrorClass.SERVER_ERROR : undefined),
      }).execute(async () => values[i++]),
    )
    expect(outcome).toMatchObject({ ok: true, value: { status: 200 }, attempts: 2 })
  })

  it('takes the full path when a diagnostics subscriber listens for success', async () => {
    const seen: unknown[] = []
    const onMessage = (m: unknown): void => {
      seen.push((m as { event: string }).event)
    }
    subscribe('redress:success', onMessage)
    try {
      await new RetryPolicy().call(async () => 1)
    } finally {
      unsubscribe('redress:success', onMessage)
    }
    expect(seen).toEqual(['success'])
  })

  it('still enforces the deadline on the first attempt', async () => {
    const clock = new FakeClock()
    const outcome = await drain(
      clock,
      new RetryPolicy({ clock, deadlineMs: 300 }).execute(() => new Promise(() => {})),
    )
    expect(outcome).toMatchObject({ ok: false, stopReason: 'DEADLINE_EXCEEDED', attempts: 1 })
    expect(clock.now()).toBe(300)
  })
})
