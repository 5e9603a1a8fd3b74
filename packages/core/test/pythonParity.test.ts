import {
  AbortRetryError,
  CircuitBreaker,
  CircuitOpenError,
  ErrorClass,
  RetryPolicy,
  ServerError,
  StopReason,
} from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { describe, expect, it } from 'vitest'
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
