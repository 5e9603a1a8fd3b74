import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { backoffContext } from '../../test/support/backoffContext.ts'
import type { Classification } from '../Classification.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { decorrelatedJitter } from './decorrelatedJitter.ts'
import { RETRY_AFTER_OR_DEFAULTS, retryAfterOr } from './retryAfterOr.ts'
import type { BackoffContext, Strategy } from './Strategy.ts'

const context = backoffContext(ErrorClass.RATE_LIMIT)

function told(retryAfterMs: number, overrides: Partial<BackoffContext> = {}): BackoffContext {
  return context({ classification: { errorClass: ErrorClass.RATE_LIMIT, retryAfterMs }, ...overrides })
}

const constant =
  (ms: number): Strategy =>
  (_ctx: BackoffContext): number =>
    ms

describe('retryAfterOr', () => {
  it("sleeps the server's delay plus U(0, jitterMs)", () => {
    const strategy = retryAfterOr(constant(7), { jitterMs: 100 })
    expect(strategy(told(2_000, { random: () => 0 }))).toBe(2_000)
    expect(strategy(told(2_000, { random: () => 0.5 }))).toBe(2_050)
  })

  it('adds 250 ms of jitter by default', () => {
    expect(retryAfterOr(constant(7))(told(1_000, { random: () => 0.5 }))).toBe(1_125)
    expect(RETRY_AFTER_OR_DEFAULTS.jitterMs).toBe(250)
  })

  it('honours a server delay of 0 rather than falling back', () => {
    expect(retryAfterOr(constant(7), { jitterMs: 0 })(told(0))).toBe(0)
  })

  it('clamps a long server delay to maxRetryAfterMs, then extends it by the jitter', () => {
    const strategy = retryAfterOr(constant(7), { jitterMs: 100, maxRetryAfterMs: 60_000 })
    expect(strategy(told(3_600_000, { random: () => 0 }))).toBe(60_000)
    expect(strategy(told(3_600_000, { random: () => 0.5 }))).toBe(60_050)
    expect(strategy(told(10_000, { random: () => 0 }))).toBe(10_000)
  })

  it('never shortens the server delay below what it asked for (under the cap)', () => {
    const strategy = retryAfterOr(constant(0), { jitterMs: 500 })
    for (const r of [0, 0.1, 0.5, 0.99])
      expect(strategy(told(4_000, { random: () => r }))).toBeGreaterThanOrEqual(4_000)
  })

  it('falls back when the classification carries no delay', () => {
    expect(retryAfterOr(constant(7))(context())).toBe(7)
  })

  it.each([Number.NaN, -1, -Infinity])('falls back on the malformed server delay %d', (retryAfterMs) => {
    const classification = { errorClass: ErrorClass.RATE_LIMIT, retryAfterMs } satisfies Classification
    expect(retryAfterOr(constant(7))(context({ classification }))).toBe(7)
  })

  it('hands the fallback the whole context', () => {
    const seen: BackoffContext[] = []
    const strategy = retryAfterOr((ctx: BackoffContext): number => {
      seen.push(ctx)
      return 1
    })
    const ctx = context({ attempt: 3, prevSleepMs: 400 })
    strategy(ctx)
    expect(seen).toEqual([ctx])
  })

  it('accepts the legacy three-parameter form as its fallback', () => {
    const calls: unknown[][] = []
    const legacy = (attempt: number, errorClass: ErrorClass, prevSleepMs: number | undefined): number => {
      calls.push([attempt, errorClass, prevSleepMs])
      return attempt * 100 + (prevSleepMs ?? 0)
    }
    const strategy = retryAfterOr(legacy)
    expect(strategy(context({ attempt: 2, prevSleepMs: 30 }))).toBe(230)
    expect(strategy(context({ attempt: 1 }))).toBe(100)
    expect(calls).toEqual([
      [2, ErrorClass.RATE_LIMIT, 30],
      [1, ErrorClass.RATE_LIMIT, undefined],
    ])
    expect(strategy(told(900, { random: () => 0 }))).toBe(900)
    expect(calls).toHaveLength(2)
  })

  it('accepts a zero-parameter fallback', () => {
    expect(retryAfterOr(() => 42)(context())).toBe(42)
  })

  it('returns a context-form strategy that declares exactly one parameter', () => {
    expect(retryAfterOr(constant(1)).length).toBe(1)
    expect(retryAfterOr((_a: number, _b: ErrorClass, _c: number | undefined) => 1).length).toBe(1)
  })

  describe('construction', () => {
    const anyFallback = (value: unknown): never => value as never
    const anyOptions = (value: unknown): never => value as never

    it('rejects a fallback that is not a function', () => {
      expect(() => retryAfterOr(anyFallback(undefined))).toThrow(
        new TypeError('retryAfterOr: fallback must be a function, got undefined'),
      )
      expect(() => retryAfterOr(anyFallback(500))).toThrow(TypeError)
    })

    it('rejects a fallback declaring two parameters', () => {
      expect(() => retryAfterOr(anyFallback((_a: unknown, _b: unknown) => 1))).toThrow(TypeError)
      expect(() => retryAfterOr(anyFallback((_a: unknown, _b: unknown) => 1))).toThrow(/declares 2/)
    })

    it.each([-1, Number.NaN, Infinity])('rejects jitterMs %d with a RangeError naming it', (jitterMs) => {
      expect(() => retryAfterOr(constant(1), { jitterMs })).toThrow(RangeError)
      expect(() => retryAfterOr(constant(1), { jitterMs })).toThrow(`options.jitterMs`)
      expect(() => retryAfterOr(constant(1), { jitterMs })).toThrow(String(jitterMs))
    })

    it.each([-1, Number.NaN, -Infinity])(
      'rejects maxRetryAfterMs %d with a RangeError naming it',
      (maxRetryAfterMs) => {
        expect(() => retryAfterOr(constant(1), { maxRetryAfterMs })).toThrow(
          new RangeError(
            `retryAfterOr: options.maxRetryAfterMs must be a number of milliseconds >= 0, got ${maxRetryAfterMs}`,
          ),
        )
      },
    )

    it('accepts maxRetryAfterMs of 0 and of Infinity', () => {
      expect(retryAfterOr(constant(1), { maxRetryAfterMs: 0, jitterMs: 0 })(told(5_000))).toBe(0)
      expect(retryAfterOr(constant(1), { maxRetryAfterMs: Infinity, jitterMs: 0 })(told(5_000))).toBe(5_000)
    })

    it('rejects a non-number option with a TypeError', () => {
      expect(() => retryAfterOr(constant(1), anyOptions({ jitterMs: '250' }))).toThrow(
        new TypeError('retryAfterOr: options.jitterMs must be a number of milliseconds, got "250"'),
      )
    })

    it('rejects a misspelt option', () => {
      expect(() => retryAfterOr(constant(1), anyOptions({ maxRetryAfter: 1000 }))).toThrow(
        new TypeError('retryAfterOr: unknown option "maxRetryAfter"; expected one of jitterMs, maxRetryAfterMs'),
      )
    })
  })

  it('stays within [min(ra, cap), min(ra, cap) + jitter] with a server delay, and within the fallback bounds without', () => {
    fc.assert(
      fc.property(
        fc.option(fc.double({ min: 0, max: 1e12, noNaN: true }), { nil: undefined }),
        fc.option(fc.double({ min: 0, max: 1e12, noNaN: true }), { nil: undefined }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.oneof(fc.constant(undefined), fc.double()),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retryAfterMs, maxRetryAfterMs, jitterMs, attempt, prevSleepMs, r) => {
          const strategy = retryAfterOr(decorrelatedJitter({ baseMs: 100, maxMs: 5_000 }), {
            jitterMs,
            maxRetryAfterMs,
          })
          const classification: Classification =
            retryAfterMs === undefined
              ? { errorClass: ErrorClass.SERVER_ERROR }
              : { errorClass: ErrorClass.RATE_LIMIT, retryAfterMs }
          const ms = strategy(context({ attempt, prevSleepMs, classification, random: () => r }))
          if (!Number.isFinite(ms)) return false
          if (retryAfterMs === undefined) return ms >= 100 && ms <= 5_000
          const floor = Math.min(retryAfterMs, maxRetryAfterMs ?? Infinity)
          return ms >= floor && ms <= floor + jitterMs
        },
      ),
      { numRuns: 3000 },
    )
  })
})
