import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import { DECORRELATED_JITTER_DEFAULTS, decorrelatedJitter } from './decorrelatedJitter.ts'
import type { BackoffContext } from './Strategy.ts'

function context(overrides: Partial<BackoffContext> = {}): BackoffContext {
  return {
    attempt: 1,
    errorClass: ErrorClass.TRANSIENT,
    classification: { errorClass: ErrorClass.TRANSIENT },
    prevSleepMs: undefined,
    remainingMs: Infinity,
    cause: 'error',
    random: () => 0.5,
    ...overrides,
  }
}

describe('decorrelatedJitter', () => {
  it('draws the first sleep from U(base, 3·base)', () => {
    const strategy = decorrelatedJitter({ baseMs: 100, maxMs: 10_000 })
    expect(strategy(context({ random: () => 0 }))).toBe(100)
    expect(strategy(context({ random: () => 0.5 }))).toBe(200)
    expect(strategy(context({ random: () => 0.75 }))).toBe(250)
  })

  it('draws later sleeps from U(base, 3·previous sleep)', () => {
    const strategy = decorrelatedJitter({ baseMs: 100, maxMs: 10_000 })
    expect(strategy(context({ prevSleepMs: 1_000, random: () => 0.5 }))).toBe(1_550)
    expect(strategy(context({ prevSleepMs: 1_000, random: () => 0 }))).toBe(100)
  })

  it('caps the sleep at maxMs', () => {
    const strategy = decorrelatedJitter({ baseMs: 100, maxMs: 1_000 })
    expect(strategy(context({ prevSleepMs: 5_000, random: () => 0.9 }))).toBe(1_000)
  })

  it('uses the defaults of 250 ms and 30 s', () => {
    const strategy = decorrelatedJitter()
    expect(strategy(context({ random: () => 0.5 }))).toBe(500)
    expect(strategy(context({ prevSleepMs: 1e9, random: () => 0.5 }))).toBe(DECORRELATED_JITTER_DEFAULTS.maxMs)
  })

  it.each([undefined, 0, -500, Number.NaN, Infinity, -Infinity, 10])(
    'treats the previous sleep %d as base',
    (prevSleepMs) => {
      const strategy = decorrelatedJitter({ baseMs: 100, maxMs: 10_000 })
      expect(strategy(context({ prevSleepMs, random: () => 0.5 }))).toBe(200)
    },
  )

  it('gives max, not NaN, when 3·previous overflows', () => {
    const strategy = decorrelatedJitter({ baseMs: 100, maxMs: 10_000 })
    expect(strategy(context({ prevSleepMs: Number.MAX_VALUE, random: () => 0.5 }))).toBe(10_000)
    expect(strategy(context({ prevSleepMs: Number.MAX_VALUE, random: () => 0 }))).toBe(100)
  })

  it('reads randomness only from the context', () => {
    const strategy = decorrelatedJitter()
    const draws = [0.1, 0.9, 0.3].map((r) => strategy(context({ prevSleepMs: 1_000, random: () => r })))
    expect(draws).toEqual([250 + 0.1 * 2_750, 250 + 0.9 * 2_750, 250 + 0.3 * 2_750])
  })

  it('stays finite and within [base, max] for any attempt, previous sleep and random value', () => {
    fc.assert(
      fc.property(
        fc.double({ min: Number.MIN_VALUE, max: 1e300, noNaN: true }),
        fc.double({ min: 0, max: 1e300, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.oneof(
          fc.constant(undefined),
          fc.double(),
          fc.constantFrom(Number.NaN, -1, 0, Infinity, -Infinity, Number.MAX_VALUE),
        ),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (baseMs, extraMs, attempt, prevSleepMs, r) => {
          const maxMs = baseMs + extraMs
          const ms = decorrelatedJitter({ baseMs, maxMs })(context({ attempt, prevSleepMs, random: () => r }))
          return Number.isFinite(ms) && ms >= baseMs && ms <= maxMs
        },
      ),
      { numRuns: 3000 },
    )
  })
})
