import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { backoffContext } from '../../test/support/backoffContext.ts'
import { testStrategyContract } from '../../test/support/strategyContract.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { DECORRELATED_JITTER_DEFAULTS, decorrelatedJitter } from './decorrelatedJitter.ts'

const context = backoffContext(ErrorClass.TRANSIENT)

describe('decorrelatedJitter', () => {
  testStrategyContract({
    make: decorrelatedJitter,
    context,
    examples: {
      'draws the first sleep from U(base, 3·base)': [
        { options: { baseMs: 100, maxMs: 10_000 }, context: { random: () => 0 }, ms: 100 },
        { options: { baseMs: 100, maxMs: 10_000 }, context: { random: () => 0.5 }, ms: 200 },
        { options: { baseMs: 100, maxMs: 10_000 }, context: { random: () => 0.75 }, ms: 250 },
      ],
      'draws later sleeps from U(base, 3·previous sleep)': [
        { options: { baseMs: 100, maxMs: 10_000 }, context: { prevSleepMs: 1_000, random: () => 0.5 }, ms: 1_550 },
        { options: { baseMs: 100, maxMs: 10_000 }, context: { prevSleepMs: 1_000, random: () => 0 }, ms: 100 },
      ],
      'caps the sleep at maxMs': [
        { options: { baseMs: 100, maxMs: 1_000 }, context: { prevSleepMs: 5_000, random: () => 0.9 }, ms: 1_000 },
      ],
      'uses the defaults of 250 ms and 30 s': [
        { context: { random: () => 0.5 }, ms: 500 },
        { context: { prevSleepMs: 1e9, random: () => 0.5 }, ms: DECORRELATED_JITTER_DEFAULTS.maxMs },
      ],
      'gives max, not NaN, when 3·previous overflows': [
        {
          options: { baseMs: 100, maxMs: 10_000 },
          context: { prevSleepMs: Number.MAX_VALUE, random: () => 0.5 },
          ms: 10_000,
        },
        {
          options: { baseMs: 100, maxMs: 10_000 },
          context: { prevSleepMs: Number.MAX_VALUE, random: () => 0 },
          ms: 100,
        },
      ],
    },
    bounds: {
      name: 'stays finite and within [base, max] for any attempt, previous sleep and random value',
      range: (baseMs, maxMs) => [baseMs, maxMs],
      prevSleepMs: fc.oneof(
        fc.constant(undefined),
        fc.double(),
        fc.constantFrom(Number.NaN, -1, 0, Infinity, -Infinity, Number.MAX_VALUE),
      ),
    },
  })

  it.each([undefined, 0, -500, Number.NaN, Infinity, -Infinity, 10])(
    'treats the previous sleep %d as base',
    (prevSleepMs) => {
      const strategy = decorrelatedJitter({ baseMs: 100, maxMs: 10_000 })
      expect(strategy(context({ prevSleepMs, random: () => 0.5 }))).toBe(200)
    },
  )

  it('reads randomness only from the context', () => {
    const strategy = decorrelatedJitter()
    const draws = [0.1, 0.9, 0.3].map((r) => strategy(context({ prevSleepMs: 1_000, random: () => r })))
    expect(draws).toEqual([250 + 0.1 * 2_750, 250 + 0.9 * 2_750, 250 + 0.3 * 2_750])
  })
})
