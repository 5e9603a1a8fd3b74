import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { uniform } from './uniform.ts'

describe('uniform', () => {
  it('maps random() linearly onto [low, high]', () => {
    expect(uniform(() => 0, 100, 300)).toBe(100)
    expect(uniform(() => 0.5, 100, 300)).toBe(200)
    expect(uniform(() => 0.25, 0, 1000)).toBe(250)
  })

  it.each([Number.NaN, -0.5, 1, 7, -Infinity, Infinity])('keeps a broken random value %d inside the range', (r) => {
    const value = uniform(() => r, 100, 300)
    expect(value).toBeGreaterThanOrEqual(100)
    expect(value).toBeLessThanOrEqual(300)
  })

  it('returns low, not NaN, when high is Infinity and random() is 0', () => {
    expect(uniform(() => 0, 5, Infinity)).toBe(5)
  })

  it('stays within [low, high] for any range and any random value in [0, 1)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e300, noNaN: true }),
        fc.double({ min: 0, max: 1e300, noNaN: true }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (a, b, r) => {
          const [low, high] = a <= b ? [a, b] : [b, a]
          const value = uniform(() => r, low, high)
          return value >= low && value <= high
        },
      ),
      { numRuns: 2000 },
    )
  })
})
