import { describe, expect, it } from 'vitest'
import { cappedExponential } from './cappedExponential.ts'

describe('cappedExponential', () => {
  it('grows as base · factor^attempt below the cap', () => {
    expect(cappedExponential(100, 2, 1, 10_000)).toBe(200)
    expect(cappedExponential(100, 2, 3, 10_000)).toBe(800)
    expect(cappedExponential(100, 1.5, 2, 10_000)).toBe(225)
  })

  it('stops at the cap', () => {
    expect(cappedExponential(100, 2, 10, 5_000)).toBe(5_000)
  })

  it('gives the cap, never NaN, when the power overflows to Infinity', () => {
    expect(cappedExponential(250, 2, 10_000, 30_000)).toBe(30_000)
    expect(cappedExponential(250, 2, Infinity, 30_000)).toBe(30_000)
  })

  it.each([0, -3, Number.NaN])('treats the attempt %d as the first', (attempt) => {
    expect(cappedExponential(100, 2, attempt, 10_000)).toBe(200)
  })
})
