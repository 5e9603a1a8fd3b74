import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import type { BackoffContext } from './Strategy.ts'
import { TOKEN_BACKOFF_DEFAULTS, tokenBackoff } from './tokenBackoff.ts'

function context(overrides: Partial<BackoffContext> = {}): BackoffContext {
  return {
    attempt: 1,
    errorClass: ErrorClass.RATE_LIMIT,
    classification: { errorClass: ErrorClass.RATE_LIMIT },
    prevSleepMs: undefined,
    remainingMs: Infinity,
    cause: 'error',
    random: () => 0.5,
    ...overrides,
  }
}

describe('tokenBackoff', () => {
  it('sleeps U(c/2, c) with c = base·1.5^attempt', () => {
    const strategy = tokenBackoff({ baseMs: 100, maxMs: 10_000 })
    expect(strategy(context({ attempt: 1, random: () => 0 }))).toBe(75)
    expect(strategy(context({ attempt: 1, random: () => 0.5 }))).toBe(112.5)
    expect(strategy(context({ attempt: 2, random: () => 0 }))).toBe(112.5)
    expect(strategy(context({ attempt: 2, random: () => 0.5 }))).toBe(168.75)
  })

  it('caps the ceiling at maxMs', () => {
    const strategy = tokenBackoff({ baseMs: 100, maxMs: 1_000 })
    expect(strategy(context({ attempt: 20, random: () => 0 }))).toBe(500)
    expect(strategy(context({ attempt: 20, random: () => 0.5 }))).toBe(750)
  })

  it('uses the defaults of 250 ms and 20 s', () => {
    const strategy = tokenBackoff()
    expect(strategy(context({ attempt: 1, random: () => 0 }))).toBe(187.5)
    expect(strategy(context({ attempt: 50, random: () => 0 }))).toBe(TOKEN_BACKOFF_DEFAULTS.maxMs / 2)
  })

  it('gives the capped range, not NaN, for attempts whose power overflows', () => {
    expect(tokenBackoff({ baseMs: 100, maxMs: 1_000 })(context({ attempt: 10_000, random: () => 0.5 }))).toBe(750)
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
          const c = Math.min(maxMs, baseMs * 1.5 ** attempt)
          const ms = tokenBackoff({ baseMs, maxMs })(context({ attempt, prevSleepMs, random: () => r }))
          return Number.isFinite(ms) && ms >= c / 2 && ms <= c
        },
      ),
      { numRuns: 3000 },
    )
  })
})
