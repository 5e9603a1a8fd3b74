import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { median } from '../src/overhead/median.ts'
import { summarizeRounds } from '../src/overhead/RoundSummary.ts'

describe('median', () => {
  it('takes the middle value of an odd count and the mean of the two middle values of an even count', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
  })

  it('is NaN for no values and leaves its input unsorted', () => {
    expect(median([])).toBeNaN()
    const values = [3, 1, 2]
    median(values)
    expect(values).toEqual([3, 1, 2])
  })

  it('lies between the smallest and the largest value', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1 }), (values) => {
        const m = median(values)
        expect(m).toBeGreaterThanOrEqual(Math.min(...values))
        expect(m).toBeLessThanOrEqual(Math.max(...values))
      }),
    )
  })
})

describe('summarizeRounds', () => {
  it('reports the median and the min–max spread of the rounds', () => {
    expect(summarizeRounds([0.9, 1.1, 0.95, 1.02, 0.7])).toEqual({ median: 0.95, min: 0.7, max: 1.1 })
  })

  it('reports NaN for no rounds', () => {
    const s = summarizeRounds([])
    expect([s.median, s.min, s.max].every(Number.isNaN)).toBe(true)
  })
})
