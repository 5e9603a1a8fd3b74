import { describe } from 'vitest'
import { backoffContext } from '../../test/support/backoffContext.ts'
import { testStrategyContract } from '../../test/support/strategyContract.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { TOKEN_BACKOFF_DEFAULTS, tokenBackoff } from './tokenBackoff.ts'

describe('tokenBackoff', () => {
  testStrategyContract({
    make: tokenBackoff,
    context: backoffContext(ErrorClass.RATE_LIMIT),
    examples: {
      'sleeps U(c/2, c) with c = base·1.5^attempt': [
        { options: { baseMs: 100, maxMs: 10_000 }, context: { attempt: 1, random: () => 0 }, ms: 75 },
        { options: { baseMs: 100, maxMs: 10_000 }, context: { attempt: 1, random: () => 0.5 }, ms: 112.5 },
        { options: { baseMs: 100, maxMs: 10_000 }, context: { attempt: 2, random: () => 0 }, ms: 112.5 },
        { options: { baseMs: 100, maxMs: 10_000 }, context: { attempt: 2, random: () => 0.5 }, ms: 168.75 },
      ],
      'caps the ceiling at maxMs': [
        { options: { baseMs: 100, maxMs: 1_000 }, context: { attempt: 20, random: () => 0 }, ms: 500 },
        { options: { baseMs: 100, maxMs: 1_000 }, context: { attempt: 20, random: () => 0.5 }, ms: 750 },
      ],
      'uses the defaults of 250 ms and 20 s': [
        { context: { attempt: 1, random: () => 0 }, ms: 187.5 },
        { context: { attempt: 50, random: () => 0 }, ms: TOKEN_BACKOFF_DEFAULTS.maxMs / 2 },
      ],
      'gives the capped range, not NaN, for attempts whose power overflows': [
        { options: { baseMs: 100, maxMs: 1_000 }, context: { attempt: 10_000, random: () => 0.5 }, ms: 750 },
      ],
    },
    bounds: {
      name: 'stays finite and within [c/2, c] for any attempt, previous sleep and random value',
      range: (baseMs, maxMs, attempt) => {
        const c = Math.min(maxMs, baseMs * 1.5 ** attempt)
        return [c / 2, c]
      },
    },
  })
})
