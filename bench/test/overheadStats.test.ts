import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { median } from '../src/overhead/median.ts'
import { pairedSummary } from '../src/overhead/pairedSummary.ts'
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
  it('reports the median, the quartiles and the min–max spread of the rounds', () => {
    expect(summarizeRounds([0.9, 1.1, 0.95, 1.02, 0.7])).toEqual({
      median: 0.95,
      p25: 0.9,
      p75: 1.02,
      min: 0.7,
      max: 1.1,
    })
  })

  it('interpolates the quartiles between ranks', () => {
    const s = summarizeRounds([1, 2, 3, 4])
    expect(s.p25).toBeCloseTo(1.75)
    expect(s.p75).toBeCloseTo(3.25)
  })

  it('leaves out rounds that could not be measured, and reports NaN for none', () => {
    expect(summarizeRounds([Number.NaN, 2, Number.POSITIVE_INFINITY, 4]).median).toBe(3)
    const s = summarizeRounds([])
    expect([s.median, s.p25, s.p75, s.min, s.max].every(Number.isNaN)).toBe(true)
  })

  it('keeps min ≤ p25 ≤ median ≤ p75 ≤ max', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, min: -1e9, max: 1e9 }), { minLength: 1 }), (values) => {
        const s = summarizeRounds(values)
        expect(s.min).toBeLessThanOrEqual(s.p25)
        expect(s.p25).toBeLessThanOrEqual(s.median)
        expect(s.median).toBeLessThanOrEqual(s.p75)
        expect(s.p75).toBeLessThanOrEqual(s.max)
      }),
    )
  })
})

describe('pairedSummary', () => {
  it('combines round i with round i, so drift shared by both variants cancels', () => {
    // The machine slows down across rounds; the variant stays 10 above the baseline in each.
    const baseline = [100, 200, 300, 400, 500]
    const variant = [110, 210, 310, 410, 510]
    expect(pairedSummary(variant, baseline, (v, b) => v - b)).toEqual({
      median: 10,
      p25: 10,
      p75: 10,
      min: 10,
      max: 10,
    })
  })

  it('pairs only the rounds both sides have', () => {
    expect(pairedSummary([2, 4, 6], [1, 2], (v, b) => v / b).max).toBe(2)
  })
})
