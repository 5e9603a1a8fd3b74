import { describe, expect, it } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import { normalizeStrategy } from '../strategies/Strategy.ts'
import { instantRetries } from './instantRetries.ts'

describe('instantRetries', () => {
  it('always sleeps 0 ms', () => {
    for (const errorClass of Object.values(ErrorClass)) {
      for (const attempt of [1, 2, 10]) {
        const sleep = instantRetries({
          attempt,
          errorClass,
          classification: { errorClass, retryAfterMs: 5_000 },
          prevSleepMs: 100,
          remainingMs: 10_000,
          cause: 'error',
          random: () => 0.99,
        })
        expect(sleep).toBe(0)
      }
    }
  })

  it('is taken as a context-form strategy and cannot be altered', () => {
    expect(normalizeStrategy(instantRetries, 'strategy')).toBe(instantRetries)
    expect(Object.isFrozen(instantRetries)).toBe(true)
  })
})
