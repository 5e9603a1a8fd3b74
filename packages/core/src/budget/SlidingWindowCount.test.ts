import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { SlidingWindowCount } from './SlidingWindowCount.ts'

describe('SlidingWindowCount', () => {
  it('counts within the window and forgets a slice once the window has passed it', () => {
    const w = new SlidingWindowCount(1_000, 10)
    w.add(0)
    w.add(50, 2)
    w.add(150)
    expect(w.total(150)).toBe(4)
    // The slice [0, 100) leaves when the slice [1000, 1100) begins.
    expect(w.total(999)).toBe(4)
    expect(w.total(1_000)).toBe(1)
    expect(w.total(1_100)).toBe(0)
  })

  it('clears everything after a gap longer than the window', () => {
    const w = new SlidingWindowCount(1_000, 10)
    for (let t = 0; t < 1_000; t += 10) w.add(t)
    expect(w.total(999)).toBe(100)
    expect(w.total(50_000)).toBe(0)
    w.add(50_000)
    expect(w.total(50_000)).toBe(1)
  })

  it('keeps counting into the newest slice when the clock steps back', () => {
    const w = new SlidingWindowCount(1_000, 10)
    w.add(500)
    w.add(100)
    expect(w.total(500)).toBe(2)
    expect(w.total(1_499)).toBe(2)
    expect(w.total(1_500)).toBe(0)
  })

  it('spreads a count evenly over an interval and drops the share already out of the window', () => {
    const w = new SlidingWindowCount(1_000, 10)
    // 0.1 per ms over [0, 2999]: at t = 2999 the window is the slices [2000, 3000), so 99.9 is kept.
    w.addSpread(299.9, 0, 2_999)
    expect(w.total(2_999)).toBeCloseTo(99.9, 9)
    // The slices [2000, 2500) leave by t = 3499: 49.9 is left.
    expect(w.total(3_499)).toBeCloseTo(49.9, 9)
  })

  it('puts a spread over an empty interval into the current slice', () => {
    const w = new SlidingWindowCount(1_000, 10)
    w.addSpread(7, 400, 400)
    expect(w.total(400)).toBe(7)
    w.addSpread(0, 0, 400)
    expect(w.total(400)).toBe(7)
  })

  it('agrees with a naive list of timestamps, slice by slice', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 5 })), { maxLength: 80 }),
        (steps) => {
          const windowMs = 1_000
          const sliceMs = 100
          const w = new SlidingWindowCount(windowMs, 10)
          const seen: [number, number][] = []
          let t = 0
          for (const [dt, n] of steps) {
            t += dt
            w.add(t, n)
            seen.push([t, n])
            const oldest = (Math.floor(t / sliceMs) - 9) * sliceMs
            const expected = seen.filter(([at]) => at >= oldest).reduce((a, [, k]) => a + k, 0)
            expect(w.total(t)).toBe(expected)
          }
        },
      ),
    )
  })
})
