/**
 * Every code example of the seed post ("Why naive retry logic fails"), translated to
 * TypeScript as DESIGN.md does. The README shows the same code.
 */

import {
  AsyncRetryPolicy,
  decorrelatedJitter,
  defaultClassifier,
  ErrorClass,
  equalJitter,
  RetryPolicy,
  retry,
  TransientError,
} from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import ts from 'typescript'
import { describe, expect, it, vi } from 'vitest'
import { drain } from './support/drain.ts'

/** Fails `n` times with a transient error, then answers. */
function flakyTimes(n: number) {
  let calls = 0
  return async (..._args: unknown[]) => {
    if (calls++ < n) throw new TransientError('flaky')
    return `ok after ${calls}`
  }
}

describe('the seed post, in TypeScript', () => {
  it('1. retry() with no arguments: defaultClassifier + decorrelatedJitter({ maxMs: 5_000 }), and it works under fake timers', async () => {
    // The default clock reads performance.now and setTimeout lazily, so vitest's fake timers drive it.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    try {
      const inner = flakyTimes(1)
      const fetchUser = retry(async function fetchUser(userId: string) {
        return `${await inner()} for ${userId}`
      })
      const p = fetchUser('u1')
      await vi.runAllTimersAsync()
      await expect(p).resolves.toBe('ok after 2 for u1')
    } finally {
      vi.useRealTimers()
    }
  })

  it('3. RetryPolicy used directly', async () => {
    const clock = new FakeClock()
    const policy = new RetryPolicy({
      classifier: defaultClassifier,
      strategy: decorrelatedJitter({ maxMs: 10_000 }),
      clock,
    })
    const flaky = flakyTimes(2)
    await expect(drain(clock, policy.call(flaky))).resolves.toBe('ok after 3')
  })

  it('4. per-class backoff strategies', async () => {
    const clock = new FakeClock()
    const sleeps: Array<[string, number]> = []
    const policy = new RetryPolicy({
      classifier: defaultClassifier,
      strategy: decorrelatedJitter({ maxMs: 10_000 }), // fallback
      strategies: {
        [ErrorClass.CONCURRENCY]: decorrelatedJitter({ maxMs: 1_000 }),
        [ErrorClass.RATE_LIMIT]: decorrelatedJitter({ maxMs: 60_000 }),
        [ErrorClass.SERVER_ERROR]: equalJitter({ maxMs: 30_000 }),
      },
      clock,
      onMetric: (event, _attempt, sleepMs, tags) => {
        if (event === 'retry') sleeps.push([String(tags['class']), sleepMs])
      },
    })
    const failures = [{ status: 409 }, { status: 429 }, { status: 503 }]
    let i = 0
    const p = policy.call(async () => {
      const f = failures[i++]
      if (f) throw f
      return 'done'
    })
    await expect(drain(clock, p)).resolves.toBe('done')
    expect(sleeps.map(([c]) => c)).toEqual(['CONCURRENCY', 'RATE_LIMIT', 'SERVER_ERROR'])
    expect(sleeps[0]?.[1]).toBeLessThanOrEqual(1_000)
  })

  it('the legacy strategy signature (attempt, errorClass, prevSleepMs) => ms is accepted', async () => {
    const clock = new FakeClock()
    const policy = new RetryPolicy({
      strategy: (attempt: number, _errorClass: ErrorClass, _prevSleepMs: number | undefined) => attempt * 100,
      clock,
    })
    await expect(drain(clock, policy.call(flakyTimes(2)))).resolves.toBe('ok after 3')
    expect(clock.now()).toBe(300)
  })

  it('5. decorators with real configuration, and a shared policy with context()', async () => {
    const fetchUserFastRetry = retry({
      classifier: defaultClassifier,
      strategy: decorrelatedJitter({ maxMs: 3_000 }),
    })(async (userId: string) => `user ${userId}`)

    const sharedPolicy = new RetryPolicy({
      classifier: defaultClassifier,
      strategy: decorrelatedJitter({ maxMs: 3_000 }),
    })
    const doRetry = sharedPolicy.context({ operation: 'batch' })
    await expect(doRetry(fetchUserFastRetry, 'user-1')).resolves.toBe('user user-1')
    await expect(doRetry(fetchUserFastRetry, 'user-2')).resolves.toBe('user user-2')
  })

  it('5b. retry as a standard (TC39) method decorator takes the method name as the operation', async () => {
    // Node 20 has no decorator syntax and vitest's transformer does not lower TC39
    // decorators, so compile the class the way a TypeScript 5 user's build does.
    const source = `
      class UserRepo {
        calls = 0
        @retry({ strategy: () => 0, onMetric: (_e, _a, _s, tags) => operations.push(tags.operation) })
        async load(id) {
          if (this.calls++ === 0) throw new TransientError()
          return 'loaded ' + id
        }
        @retry
        async bare() { return this.calls }
      }
      return UserRepo`
    const js = ts.transpileModule(source, { compilerOptions: { target: ts.ScriptTarget.ES2022 } }).outputText
    const operations: unknown[] = []
    const UserRepo = new Function('retry', 'TransientError', 'operations', js)(retry, TransientError, operations)
    const repo = new UserRepo()
    await expect(repo.load('7')).resolves.toBe('loaded 7')
    expect(operations).toEqual(['load', 'load'])
    await expect(repo.bare()).resolves.toBe(2)
  })

  it('6. deadlines, caps and UNKNOWN protection', async () => {
    const clock = new FakeClock()
    const policy = new RetryPolicy({
      classifier: defaultClassifier,
      strategy: decorrelatedJitter(),
      deadlineMs: 60_000,
      maxAttempts: 8,
      maxUnknownAttempts: 2,
      clock,
    })
    let calls = 0
    const p = policy.execute(async () => {
      calls++
      throw new Error('mystery')
    })
    expect((await drain(clock, p)).stopReason).toBe('MAX_UNKNOWN_ATTEMPTS')
    expect(calls).toBe(2)
  })

  it('7. async retries without a separate mental model', async () => {
    const clock = new FakeClock()
    const asyncPolicy = new AsyncRetryPolicy({
      classifier: defaultClassifier,
      strategy: decorrelatedJitter({ maxMs: 5_000 }),
      clock,
    })
    expect(asyncPolicy).toBeInstanceOf(RetryPolicy)
    await expect(drain(clock, asyncPolicy.call(flakyTimes(1)))).resolves.toBe('ok after 2')
  })

  it('8. observability: one metric hook', async () => {
    const clock = new FakeClock()
    const policy = new RetryPolicy({ clock })
    const seen: string[] = []
    const metricHook = (event: string, attempt: number, sleepMs: number, tags: Record<string, unknown>) => {
      seen.push(`${event} ${attempt} ${sleepMs > 0 ? 'slept' : '-'} ${tags['class'] ?? ''}`.trim())
    }
    await drain(clock, policy.call(flakyTimes(1), { onMetric: metricHook, operation: 'myOp' }))
    expect(seen).toEqual(['retry 1 slept TRANSIENT', 'success 2 -'])
  })
})
