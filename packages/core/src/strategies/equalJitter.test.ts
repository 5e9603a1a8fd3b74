import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import { EQUAL_JITTER_DEFAULTS, equalJitter } from './equalJitter.ts'
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

describe('equalJitter', () => {
  it('sleeps c/2 + U(0, c/2) with c = base·2^attempt', () => {
    const strategy = equalJitter({ baseMs: 100, maxMs: 10_000 })
    expect(strategy(context({ attempt: 1, random: () => 0 }))).toBe(100)
    expect(strategy(context({ attempt: 1, random: () => 0.5 }))).toBe(150)
    expect(strategy(context({ attempt: 3, random: () => 0 }))).toBe(400)
    expect(strategy(context({ attempt: 3, random: () => 0.5 }))).toBe(600)
  })

  it('caps the ceiling at maxMs', () => {
    const strategy = equalJitter({ baseMs: 100, maxMs: 1_000 })
    expect(strategy(context({ attempt: 8, random: () => 0 }))).toBe(500)
    expect(strategy(context({ attempt: 8, random: () => 0.5 }))).toBe(750)
  })

  it('uses the defaults of 250 ms and 30 s', () => {
    const strategy = equalJitter()
    expect(strategy(context({ attempt: 1, random: () => 0 }))).toBe(250)
    expect(strategy(context({ attempt: 30, random: () => 0 }))).toBe(EQUAL_JITTER_DEFAULTS.maxMs / 2)
  })

  it('gives half the cap, not NaN, for attempts whose power overflows', () => {
    expect(equalJitter({ baseMs: 100, maxMs: 1_000 })(context({ attempt: 10_000, random: () => 0 }))).toBe(500)
  })

  it('ignores the previous sleep', () => {
    const strategy = equalJitter({ baseMs: 100, maxMs: 10_000 })
    expect(strategy(context({ attempt: 2, prevSleepMs: 9_000 }))).toBe(strategy(context({ attempt: 2 })))
  })

  it('stays finite and within [c/2, c] for any attempt, previous sleep and random value', () => {
    fc.assert(
      fc.property(
        fc.double({ min: Number.MIN_VALUE, max: 1e300, noNaN: true }),
        fc.double({ min: 0, max: 1e300, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.oneof(fc.constant(undefined), fc.double()),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (baseMs, extraMs, attempt, prevSleepMs, r) => {
          const maxMs = baseMs + extraMs
          const c = Math.min(maxMs, baseMs * 2 ** attempt)
          const ms = equalJitter({ baseMs, maxMs })(context({ attempt, prevSleepMs, random: () => r }))
          return Number.isFinite(ms) && ms >= c / 2 && ms <= c
        },
      ),
      { numRuns: 3000 },
    )
  })
})
