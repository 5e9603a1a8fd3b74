import { describe, expect, it } from 'vitest'
import { classificationOf } from '../classify/safeClassify.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { decorrelatedJitter } from './decorrelatedJitter.ts'
import { type BackoffContext, isOutcomeObserver, normalizeStrategy } from './Strategy.ts'
import { uniform } from './uniform.ts'

const ctx: BackoffContext = {
  attempt: 3,
  errorClass: ErrorClass.TRANSIENT,
  classification: classificationOf(ErrorClass.TRANSIENT),
  prevSleepMs: 40,
  remainingMs: 1_000,
  cause: 'error',
  random: () => 0.5,
}

describe('isOutcomeObserver', () => {
  it('needs both recordSuccess and recordFailure to be functions', () => {
    const both = { recordSuccess: () => undefined, recordFailure: () => undefined }
    expect(isOutcomeObserver(both)).toBe(true)
    expect(isOutcomeObserver({ recordFailure: () => undefined })).toBe(false)
    expect(isOutcomeObserver({ recordSuccess: () => undefined })).toBe(false)
    expect(isOutcomeObserver({ recordSuccess: () => undefined, recordFailure: 1 })).toBe(false)
  })

  it('accepts a function carrying both methods, as adaptive() returns', () => {
    expect(isOutcomeObserver(Object.assign(() => 1, { recordSuccess() {}, recordFailure() {} }))).toBe(true)
  })

  it.each([undefined, null, 0, 'recordSuccess', true])('answers false for %j', (value) => {
    expect(isOutcomeObserver(value)).toBe(false)
  })
})

describe('normalizeStrategy', () => {
  it('passes a context-form strategy through as is', () => {
    const strategy = (c: BackoffContext): number => c.attempt
    expect(normalizeStrategy(strategy, 'strategy')).toBe(strategy)
    const noParams = (): number => 7
    expect(normalizeStrategy(noParams, 'strategy')).toBe(noParams)
  })

  it('adapts the three-parameter form, handing it attempt, class and previous sleep', () => {
    const seen: unknown[] = []
    const legacy = (attempt: number, errorClass: ErrorClass, prevSleepMs: number | undefined): number => {
      seen.push(attempt, errorClass, prevSleepMs)
      return 99
    }
    expect(normalizeStrategy(legacy, 'strategy')(ctx)).toBe(99)
    expect(seen).toEqual([3, ErrorClass.TRANSIENT, 40])
  })

  it.each([
    [2, (_a: number, _b: number): number => 0],
    [4, (_a: number, _b: number, _c: number, _d: number): number => 0],
  ])('rejects a strategy declaring %i parameters, naming the option', (arity, strategy) => {
    expect(() => normalizeStrategy(strategy, 'strategies.RATE_LIMIT')).toThrow(
      new TypeError(
        `strategies.RATE_LIMIT must take one context parameter or exactly three (attempt, errorClass, prevSleepMs); it declares ${arity}`,
      ),
    )
  })

  it('rejects a value that is not a function, naming the option', () => {
    expect(() => normalizeStrategy(5, 'strategy')).toThrow(new TypeError('strategy must be a function, got 5'))
  })
})

describe('backoff bounds', () => {
  it('rejects a maxMs of 0 as not positive, before comparing it with baseMs', () => {
    expect(() => decorrelatedJitter({ maxMs: 0 })).toThrow(
      new RangeError('decorrelatedJitter: options.maxMs must be a finite number of milliseconds > 0, got 0'),
    )
  })
})

describe('uniform', () => {
  it('returns the high bound, not NaN, for a random value of Infinity over an empty range', () => {
    expect(uniform(() => Number.POSITIVE_INFINITY, 100, 100)).toBe(100)
  })
})
