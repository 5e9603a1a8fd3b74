import {
  AbortRetryError,
  Budget,
  CircuitBreaker,
  CircuitOpenError,
  ErrorClass,
  RetryPolicy,
  ServerError,
  StopReason,
} from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { beforeEach, describe, expect, it } from 'vitest'
import { drain } from './support/drain.ts'

// Issue 14, defects 5–7: where the port behaved differently from Python redress.

type Event = { event: string; tags: Record<string, unknown> }

function recorder() {
  const events: Event[] = []
  return {
    events,
    onMetric: (event: string, _attempt: number, _sleepMs: number, tags: Record<string, unknown>) => {
      events.push({ event, tags: { ...tags } })
    },
  }
}

describe('abortIf is consulted before committing to a retry (defect 5)', () => {
  it('a failed attempt followed by abortIf() → true ends the call at once: no retry event, no sleep', async () => {
    const clock = new FakeClock()
    const { events, onMetric } = recorder()
    let abort = false
    let calls = 0
    const policy = new RetryPolicy({ clock, strategy: () => 5_000, onMetric })
    const call = policy.execute(
      async () => {
        calls++
        abort = true // the condition becomes true while the attempt fails
        throw new ServerError('down')
      },
      { abortIf: () => abort },
    )
    const outcome = await drain(clock, call)
    expect(calls).toBe(1)
    expect(outcome.stopReason).toBe(StopReason.ABORTED)
    expect(outcome.abortReason).toBeInstanceOf(AbortRetryError)
    expect(clock.now()).toBe(0) // the 5 s backoff was never slept
    expect(events.map((e) => e.event)).toEqual(['aborted'])
  })

  it('abortIf() → false lets the retry happen as usual', async () => {
    const clock = new FakeClock()
    let calls = 0
    const policy = new RetryPolicy({ clock, strategy: () => 100, abortIf: () => false })
    const value = await drain(
      clock,
      policy.call(async () => {
        if (++calls === 1) throw new ServerError('once')
        return 'ok'
      }),
    )
    expect(value).toBe('ok')
    expect(clock.now()).toBe(100)
  })
})

describe('abortIf is consulted before the decision: no retry is asked of the budget (defect 5)', () => {
  it('an aborted call spends no retry of a Budget: the next call still gets its one retry', async () => {
    const clock = new FakeClock()
    const budget = new Budget({ maxRetries: 1, windowMs: 60_000, clock })
    const policy = new RetryPolicy({ clock, budget, strategy: () => 0 })
    const aborted = await drain(
      clock,
      policy.execute(() => Promise.reject(new ServerError('down')), { abortIf: () => calls++ > 0 }),
    )
    expect(aborted.stopReason).toBe(StopReason.ABORTED)
    expect(aborted.lastError).toBeInstanceOf(ServerError)
    let attempts = 0
    const value = await drain(
      clock,
      policy.call(async () => {
        if (++attempts === 1) throw new ServerError('once')
        return 'ok'
      }),
    )
    expect(value).toBe('ok')
    expect(attempts).toBe(2)
  })

  it('a failure the policy would not retry still stops as ABORTED when abortIf() is true (abort wins, as in Python)', async () => {
    const clock = new FakeClock()
    const policy = new RetryPolicy({ clock })
    const outcome = await drain(
      clock,
      policy.execute(() => Promise.reject(new TypeError('bug')), { abortIf: () => calls++ > 0 }),
    )
    expect(outcome.stopReason).toBe(StopReason.ABORTED)
    expect(outcome.lastError).toBeInstanceOf(TypeError)
  })

  it('a result the classifier rejects, then abortIf() → true, ends the call without a retry event or sleep', async () => {
    const clock = new FakeClock()
    const { events, onMetric } = recorder()
    const policy = new RetryPolicy({
      clock,
      onMetric,
      strategy: () => 5_000,
      resultClassifier: (v) => (v === 'busy' ? { errorClass: 'SERVER_ERROR' } : undefined),
    })
    const outcome = await drain(
      clock,
      policy.execute(async () => 'busy', { abortIf: () => calls++ > 0 }),
    )
    expect(outcome.stopReason).toBe(StopReason.ABORTED)
    expect(outcome.lastResult).toBe('busy')
    expect(clock.now()).toBe(0)
    expect(events.map((e) => e.event)).toEqual(['aborted'])
  })

  it('an attempt cut by attemptTimeoutMs, then abortIf() → true, ends the call without a retry', async () => {
    const clock = new FakeClock()
    let attempts = 0
    const policy = new RetryPolicy({ clock, attemptTimeoutMs: 100, strategy: () => 0 })
    const outcome = await drain(
      clock,
      policy.execute(
        () => {
          attempts++
          return new Promise(() => {})
        },
        { abortIf: () => calls++ > 0 },
      ),
    )
    expect(outcome.stopReason).toBe(StopReason.ABORTED)
    expect(attempts).toBe(1)
  })
})

let calls = 0
beforeEach(() => {
  calls = 0
})

describe('an open breaker (defect 6)', () => {
  it('execute() returns the CircuitOpenError as lastError; call() rejects with the same object', async () => {
    const clock = new FakeClock()
    const breaker = new CircuitBreaker({ clock, failureThreshold: 1 })
    const policy = new RetryPolicy({ clock, circuitBreaker: breaker, maxAttempts: 1 })
    await drain(
      clock,
      policy.execute(() => Promise.reject(new ServerError('down'))),
    )
    expect(breaker.state).toBe('open')

    const outcome = await policy.execute(() => 'never')
    expect(outcome.ok).toBe(false)
    expect(outcome.stopReason).toBe(StopReason.CIRCUIT_OPEN)
    expect(outcome.lastError).toBeInstanceOf(CircuitOpenError)
    expect((outcome.lastError as CircuitOpenError).retryInMs).toBe(outcome.nextSleepMs)

    const rejected = await policy.call(() => 'never').catch((error: unknown) => error)
    expect(rejected).toBeInstanceOf(CircuitOpenError)
  })
})

describe('circuit_opened carries the class that tripped it (defect 7)', () => {
  it('tags the transition with class, like the other events', async () => {
    const clock = new FakeClock()
    const { events, onMetric } = recorder()
    const breaker = new CircuitBreaker({ clock, failureThreshold: 1 })
    const policy = new RetryPolicy({ clock, circuitBreaker: breaker, maxAttempts: 1, onMetric })
    await drain(
      clock,
      policy.execute(() => Promise.reject(new ServerError('down'))),
    )
    const opened = events.find((e) => e.event === 'circuit_opened')
    expect(opened?.tags).toMatchObject({ state: 'open', class: ErrorClass.SERVER_ERROR })
  })
})
