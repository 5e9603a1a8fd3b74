import {
  type CallOptions,
  CircuitBreaker,
  type RetryOptions,
  RetryPolicy,
  ServerError,
  TokenBudget,
} from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isolate, isolateAsync } from '../src/guard/isolate.ts'
import { drain } from './support/drain.ts'

// Issue 14, defect 3: hooks are isolated by contract, and a promise a hook returns is part of
// what it does. A rejection nobody handles kills a Node process (--unhandled-rejections=throw
// is the default), so every one must be caught by redress.

const unhandled: unknown[] = []
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason)
}
beforeEach(() => {
  unhandled.length = 0
  process.on('unhandledRejection', onUnhandled)
})
afterEach(() => {
  process.off('unhandledRejection', onUnhandled)
})

/** Two macrotask turns: Node reports unhandled rejections when the microtask queue drains. */
async function turns(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

const rejecting = async (): Promise<never> => {
  throw new Error('hook failed')
}

const HOOKS = ['onMetric', 'onLog', 'onAttemptStart', 'onAttemptEnd', 'beforeSleep'] as const

/**
 * Calls `policy` (with the call `options`) on an operation that fails once with a ServerError,
 * then returns 'ok', and checks that the call returned 'ok' after the one retry and that nothing
 * was left unhandled.
 */
async function expectOkAfterOneRetry(clock: FakeClock, policy: RetryPolicy, options: CallOptions = {}): Promise<void> {
  let calls = 0
  const value = await drain(
    clock,
    policy.call(async () => {
      calls++
      if (calls === 1) throw new ServerError('once')
      return 'ok'
    }, options),
  )
  expect(value).toBe('ok')
  expect(calls).toBe(2)
  await turns()
  expect(unhandled).toEqual([])
}

describe('a hook that returns a rejected promise', () => {
  for (const hook of HOOKS) {
    it(`${hook} on the policy: the call's result is unchanged and nothing is left unhandled`, async () => {
      const clock = new FakeClock()
      const policy = new RetryPolicy({ clock, random: () => 0, [hook]: rejecting } as RetryOptions)
      await expectOkAfterOneRetry(clock, policy)
    })

    it(`${hook} per call: the call's result is unchanged and nothing is left unhandled`, async () => {
      const clock = new FakeClock()
      const policy = new RetryPolicy({ clock, random: () => 0 })
      await expectOkAfterOneRetry(clock, policy, { [hook]: rejecting })
    })
  }

  it('onMetric on a call that succeeds at once (the issue’s reproduction)', async () => {
    const value = await new RetryPolicy({ onMetric: rejecting }).call(() => 'ok')
    expect(value).toBe('ok')
    await turns()
    expect(unhandled).toEqual([])
  })

  it('a sleep handler that rejects means "sleep": the retry happens', async () => {
    const clock = new FakeClock()
    const policy = new RetryPolicy({ clock, random: () => 0, sleep: rejecting })
    await expectOkAfterOneRetry(clock, policy)
  })

  it('a budget, a breaker and an abortIf returning rejected promises are isolated too', async () => {
    const clock = new FakeClock()
    const budget = new TokenBudget()
    const breaker = new CircuitBreaker({ clock })
    // Methods of user-replaceable objects that are (wrongly) async: a promise is not `true`,
    // so abortIf does not abort; the budget's recordFailure rejection is swallowed.
    const asyncBudget = {
      tryAcquire: () => budget.tryAcquire(),
      recordSuccess: rejecting,
      recordFailure: rejecting,
    }
    const policy = new RetryPolicy({
      clock,
      random: () => 0,
      budget: asyncBudget,
      circuitBreaker: breaker,
      abortIf: rejecting as never,
    })
    await expectOkAfterOneRetry(clock, policy)
  })
})

describe('isolate', () => {
  it('returns what the function returns, with its this and arguments', () => {
    const target = {
      k: 3,
      f(this: { k: number }, a: number, b: number) {
        return this.k + a + b
      },
    }
    expect(isolate(-1, target.f, target, 1, 2)).toBe(6)
  })

  it('returns the fallback when the function throws', () => {
    expect(
      isolate('fallback', () => {
        throw new Error('x')
      }),
    ).toBe('fallback')
  })

  it('passes a rejected promise back, handled', async () => {
    const p = isolate(undefined, rejecting)
    await turns()
    expect(unhandled).toEqual([])
    await expect(p).rejects.toThrow('hook failed')
  })

  it('survives a thenable whose then throws', () => {
    const hostile = {
      // biome-ignore lint/suspicious/noThenProperty: the test is about a hostile thenable
      get then(): never {
        throw new Error('then')
      },
    }
    expect(isolate('fallback', () => hostile)).toBe('fallback')
  })

  it('isolateAsync returns the fallback on a throw or a rejection', async () => {
    await expect(isolateAsync('fb', rejecting, undefined, 1)).resolves.toBe('fb')
    await expect(
      isolateAsync(
        'fb',
        () => {
          throw new Error('sync')
        },
        undefined,
        1,
      ),
    ).resolves.toBe('fb')
    await expect(isolateAsync('fb', async (a: number) => a + 1, undefined, 1)).resolves.toBe(2)
  })
})
