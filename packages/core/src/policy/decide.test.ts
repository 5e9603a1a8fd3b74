import { describe, expect, it } from 'vitest'
import type { Classification } from '../Classification.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import type { StopReason } from '../events/StopReason.ts'
import { type DecisionLimits, decide, sanitizeDelay } from './decide.ts'
import { initialRunState, type RunState } from './RunState.ts'

const limits = (over: Partial<DecisionLimits> = {}): DecisionLimits => ({
  maxAttempts: 5,
  maxUnknownAttempts: 2,
  perClassMaxAttempts: {},
  maxRetryAfterMs: undefined,
  fallback: () => 100,
  strategies: new Map(),
  ...over,
})

const after = (attempts: number, over: Partial<RunState> = {}): RunState => ({
  ...initialRunState('op', 0, 10_000),
  attempts,
  ...over,
})

const fail = (errorClass: ErrorClass, extra: Partial<Classification> = {}) => ({
  classification: { errorClass, ...extra },
  cause: 'error' as const,
})

const yes = { tryAcquire: () => true, recordSuccess: () => {}, recordFailure: () => {} }
const no = { ...yes, tryAcquire: () => false }

describe('decide (the pure decision core)', () => {
  const rows: Array<
    [string, DecisionLimits, RunState, ReturnType<typeof fail>, number, typeof yes | undefined, StopReason | number]
  > = [
    ['retries a transient failure with the strategy delay', limits(), after(1), fail('TRANSIENT'), 0, undefined, 100],
    [
      'per-class cap comes first',
      limits({ perClassMaxAttempts: { SERVER_ERROR: 1 } }),
      after(1),
      fail('SERVER_ERROR'),
      0,
      undefined,
      'MAX_ATTEMPTS_PER_CLASS',
    ],
    ['never retries PERMANENT', limits(), after(1), fail('PERMANENT'), 0, undefined, 'NON_RETRYABLE_CLASS'],
    ['never retries AUTH', limits(), after(1), fail('AUTH'), 0, undefined, 'NON_RETRYABLE_CLASS'],
    ['never retries PERMISSION', limits(), after(1), fail('PERMISSION'), 0, undefined, 'NON_RETRYABLE_CLASS'],
    [
      'honours retryable: false on a retryable class',
      limits(),
      after(1),
      fail('SERVER_ERROR', { retryable: false }),
      0,
      undefined,
      'NON_RETRYABLE_CLASS',
    ],
    [
      'caps UNKNOWN at maxUnknownAttempts',
      limits(),
      after(2, { classCounts: { UNKNOWN: 1 } }),
      fail('UNKNOWN'),
      0,
      undefined,
      'MAX_UNKNOWN_ATTEMPTS',
    ],
    [
      'stops after the last attempt',
      limits({ maxAttempts: 3 }),
      after(3),
      fail('TRANSIENT'),
      0,
      undefined,
      'MAX_ATTEMPTS_GLOBAL',
    ],
    ['stops past the deadline', limits(), after(1), fail('TRANSIENT'), 10_000, undefined, 'DEADLINE_EXCEEDED'],
    [
      'stops with NO_STRATEGY without one',
      limits({ fallback: undefined }),
      after(1),
      fail('TRANSIENT'),
      0,
      undefined,
      'NO_STRATEGY',
    ],
    [
      'stops when the sleep would reach the deadline',
      limits({ fallback: () => 9_950 }),
      after(1),
      fail('TRANSIENT'),
      50,
      undefined,
      'DEADLINE_EXCEEDED',
    ],
    [
      'stops when retryAfterMs passes the deadline',
      limits(),
      after(1),
      fail('RATE_LIMIT', { retryAfterMs: 20_000 }),
      0,
      undefined,
      'DEADLINE_EXCEEDED',
    ],
    [
      'stops when retryAfterMs passes maxRetryAfterMs',
      limits({ maxRetryAfterMs: 1_000 }),
      after(1),
      fail('RATE_LIMIT', { retryAfterMs: 1_001 }),
      0,
      undefined,
      'DEADLINE_EXCEEDED',
    ],
    ['asks the budget last', limits(), after(1), fail('TRANSIENT'), 0, no, 'BUDGET_EXHAUSTED'],
    ['retries when the budget allows', limits(), after(1), fail('TRANSIENT'), 0, yes, 100],
  ]
  it.each(rows)('%s', (_name, l, state, failure, now, budget, expected) => {
    const { decision } = decide(l, state, failure, now, () => 0.5, budget)
    if (typeof expected === 'number') expect(decision).toMatchObject({ retry: true, delayMs: expected })
    else expect(decision).toMatchObject({ retry: false, stopReason: expected })
  })

  it('takes no budget token when the run stops for another reason', () => {
    let taken = 0
    const budget = {
      ...yes,
      tryAcquire: () => {
        taken++
        return true
      },
    }
    decide(limits({ maxAttempts: 1 }), after(1), fail('TRANSIENT'), 0, () => 0, budget)
    decide(limits(), after(1), fail('PERMANENT'), 0, () => 0, budget)
    expect(taken).toBe(0)
  })

  it('counts the class and remembers the sleep in the next state, without touching the input', () => {
    const state = after(1)
    const { state: next } = decide(limits(), state, fail('SERVER_ERROR'), 0, () => 0, undefined)
    expect(next).toMatchObject({
      classCounts: { SERVER_ERROR: 1 },
      prevSleepMs: 100,
      lastClass: 'SERVER_ERROR',
      done: false,
    })
    expect(state.classCounts).toEqual({})
  })

  it('labels a sleep that honours the server delay as retry_after', () => {
    const { decision } = decide(
      limits({ fallback: (c) => c.classification.retryAfterMs ?? 1 }),
      after(1),
      fail('RATE_LIMIT', { retryAfterMs: 300 }),
      0,
      () => 0,
      undefined,
    )
    expect(decision).toEqual({ retry: true, delayMs: 300, sleepSource: 'retry_after' })
  })

  it('sanitises strategy output', () => {
    expect([Number.NaN, -1, 0, 5, Infinity, '3' as unknown].map(sanitizeDelay)).toEqual([0, 0, 0, 5, Infinity, 0])
  })
})
