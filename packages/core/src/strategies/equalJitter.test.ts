import { describe, expect, it } from 'vitest'
import { backoffContext } from '../../test/support/backoffContext.ts'
import { testStrategyContract } from '../../test/support/strategyContract.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { EQUAL_JITTER_DEFAULTS, equalJitter } from './equalJitter.ts'

const context = backoffContext(ErrorClass.TRANSIENT)

describe('equalJitter', () => {
  testStrategyContract({
    make: equalJitter,
    context,
    examples: {
      'sleeps c/2 + U(0, c/2) with c = base·2^attempt': [
        { options: { baseMs: 100, maxMs: 10_000 }, context: { attempt: 1, random: () => 0 }, ms: 100 },
        { options: { baseMs: 100, maxMs: 10_000 }, context: { attempt: 1, random: () => 0.5 }, ms: 150 },
        { options: { baseMs: 100, maxMs: 10_000 }, context: { attempt: 3, random: () => 0 }, ms: 400 },
        { options: { baseMs: 100, maxMs: 10_000 }, context: { attempt: 3, random: () => 0.5 }, ms: 600 },
      ],
      'caps the ceiling at maxMs': [
        { options: { baseMs: 100, maxMs: 1_000 }, context: { attempt: 8, random: () => 0 }, ms: 500 },
        { options: { baseMs: 100, maxMs: 1_000 }, context: { attempt: 8, random: () => 0.5 }, ms: 750 },
      ],
      'uses the defaults of 250 ms and 30 s': [
        { context: { attempt: 1, random: () => 0 }, ms: 250 },
        { context: { attempt: 30, random: () => 0 }, ms: EQUAL_JITTER_DEFAULTS.maxMs / 2 },
      ],
      'gives half the cap, not NaN, for attempts whose power overflows': [
        { options: { baseMs: 100, maxMs: 1_000 }, context: { attempt: 10_000, random: () => 0 }, ms: 500 },
      ],
    },
    bounds: {
      name: 'stays finite and within [c/2, c] for any attempt, previous sleep and random value',
      range: (baseMs, maxMs, attempt) => {
        const c = Math.min(maxMs, baseMs * 2 ** attempt)
        return [c / 2, c]
      },
    },
  })

  it('ignores the previous sleep', () => {
    const strategy = equalJitter({ baseMs: 100, maxMs: 10_000 })
    expect(strategy(context({ attempt: 2, prevSleepMs: 9_000 }))).toBe(strategy(context({ attempt: 2 })))
  })
})
