import { describe, expect, expectTypeOf, it } from 'vitest'
import { noRetries } from './noRetries.ts'

describe('noRetries', () => {
  it('gives options allowing a single attempt', () => {
    expect(noRetries()).toEqual({ maxAttempts: 1 })
    expectTypeOf(noRetries()).toEqualTypeOf<{ readonly maxAttempts: 1 }>()
  })

  it('overrides maxAttempts when spread after other options, keeping the rest', () => {
    const base = { maxAttempts: 6, deadlineMs: 10_000 }
    expect({ ...base, ...noRetries() }).toEqual({ maxAttempts: 1, deadlineMs: 10_000 })
  })

  it('hands out an object that cannot be altered', () => {
    const options = noRetries()
    expect(Object.isFrozen(options)).toBe(true)
    expect(() => {
      ;(options as { maxAttempts: number }).maxAttempts = 3
    }).toThrow(TypeError)
  })
})
