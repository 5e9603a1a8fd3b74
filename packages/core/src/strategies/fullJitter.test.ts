import { describe } from 'vitest'
import { backoffContext } from '../../test/support/backoffContext.ts'
import { testStrategyContract } from '../../test/support/strategyContract.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { FULL_JITTER_DEFAULTS, fullJitter } from './fullJitter.ts'

describe('fullJitter', () => {
  testStrategyContract({
    make: fullJitter,
    context: backoffContext(ErrorClass.SERVER_ERROR),
    examples: {
      'sleeps U(0, base·2^attempt)': [
        { options: { baseMs: 100, maxMs: 10_000 }, context: { attempt: 1, random: () => 0 }, ms: 0 },
        { options: { baseMs: 100, maxMs: 10_000 }, context: { attempt: 1, random: () => 0.5 }, ms: 100 },
        { options: { baseMs: 100, maxMs: 10_000 }, context: { attempt: 4, random: () => 0.25 }, ms: 400 },
      ],
      'caps the ceiling at maxMs': [
        { options: { baseMs: 100, maxMs: 1_000 }, context: { attempt: 9, random: () => 0.5 }, ms: 500 },
      ],
      'uses the defaults of 250 ms and 30 s': [
        { context: { attempt: 1, random: () => 0.5 }, ms: 250 },
        { context: { attempt: 40, random: () => 0.5 }, ms: FULL_JITTER_DEFAULTS.maxMs / 2 },
      ],
      'gives the capped range, not NaN, for attempts whose power overflows': [
        { options: { baseMs: 100, maxMs: 1_000 }, context: { attempt: 10_000, random: () => 0.5 }, ms: 500 },
      ],
    },
    bounds: {
      name: 'stays finite and within [0, min(max, base·2^attempt)] for any attempt, previous sleep and random value',
      range: (baseMs, maxMs, attempt) => [0, Math.min(maxMs, baseMs * 2 ** attempt)],
    },
  })
})
