import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import { FULL_JITTER_DEFAULTS, fullJitter } from './fullJitter.ts'
import type { BackoffContext } from './Strategy.ts'

function context(overrides: Partial<BackoffContext> = {}): BackoffContext {
  return {
    attempt: 1,
    errorClass: ErrorClass.SERVER_ERROR,
    classification: { errorClass: ErrorClass.SERVER_ERROR },
    prevSleepMs: undefined,
    remainingMs: Infinity,
    cause: 'error',
    random: () => 0.5,
    ...overrides,
  }
}

describe('fullJitter', () => {
  it('sleeps U(0, base·2^attempt)', () => {
    const strategy = fullJitter({ baseMs: 100, maxMs: 10_000 })
    expect(strategy(context({ attempt: 1, random: () => 0 }))).toBe(0)
    expect(strategy(context({ attempt: 1, random: () => 0.5 }))).toBe(100)
    expect(strategy(context({ attempt: 4, random: () => 0.25 }))).toBe(400)
  })

  it('caps the ceiling at maxMs', () => {
    expect(fullJitter({ baseMs: 100, maxMs: 1_000 })(context({ attempt: 9, random: () => 0.5 }))).toBe(500)
  })

  it('uses the defaults of 250 ms and 30 s', () => {
    const strategy = fullJitter()
    expect(strategy(context({ attempt: 1, random: () => 0.5 }))).toBe(250)
    expect(strategy(context({ attempt: 40, random: () => 0.5 }))).toBe(FULL_JITTER_DEFAULTS.maxMs / 2)
  })

  it('gives the capped range, not NaN, for attempts whose power overflows', () => {
    expect(fullJitter({ baseMs: 100, maxMs: 1_000 })(context({ attempt: 10_000, random: () => 0.5 }))).toBe(500)
  })

  it('stays finite and within [0, min(max, base·2^attempt)] for any attempt, previous sleep and random value', () => {
    fc.assert(
      fc.property(
        fc.double({ min: Number.MIN_VALUE, max: 1e300, noNaN: true }),
        fc.double({ min: 0, max: 1e300, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.oneof(fc.constant(undefined), fc.double()),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (baseMs, extraMs, attempt, prevSleepMs, r) => {
          const maxMs = baseMs + extraMs
          const ms = fullJitter({ baseMs, maxMs })(context({ attempt, prevSleepMs, random: () => r }))
          return Number.isFinite(ms) && ms >= 0 && ms <= Math.min(maxMs, baseMs * 2 ** attempt)
        },
      ),
      { numRuns: 3000 },
    )
  })
})
