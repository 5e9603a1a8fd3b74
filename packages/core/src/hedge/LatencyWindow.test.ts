import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { HEDGE_DEFAULTS } from './HedgeOptions.ts'
import { LatencyWindow } from './LatencyWindow.ts'

describe('LatencyWindow', () => {
  it('answers startAfterMs with no sample, and twice the slowest sample while samples are few', () => {
    const w = new LatencyWindow()
    expect(w.hedgeDelayMs(0.95)).toBe(HEDGE_DEFAULTS.startAfterMs)
    w.record(3)
    w.record(12)
    w.record(5)
    expect(w.hedgeDelayMs(0.95)).toBe(24)
  })

  it('starts with burstHedges hedges, earns 1 - q per call and spends one per hedge', () => {
    const w = new LatencyWindow(128, 20, 100, 2)
    const wanted = (): boolean => {
      w.hedgeDelayMs(0.75)
      if (!w.hasHedge) return false
      w.takeHedge()
      return true
    }
    // 2 saved up, then 0.25 per call: 2 + 0.25 · 6 = 3.5 hedges over six calls that all want one.
    expect([wanted(), wanted(), wanted(), wanted(), wanted(), wanted()]).toEqual([
      true,
      true,
      false,
      false,
      true,
      false,
    ])
    // Savings stop at the burst.
    for (let i = 0; i < 100; i++) w.hedgeDelayMs(0.75)
    w.takeHedge()
    w.takeHedge()
    expect(w.hasHedge).toBe(false)
  })

  it('sends at most (1 - q)·n + burstHedges hedges over any n calls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { maxLength: 400 }),
        fc.double({ min: 0.5, max: 0.99, noNaN: true }),
        (wants, q) => {
          const w = new LatencyWindow()
          let hedges = 0
          for (const want of wants) {
            w.hedgeDelayMs(q)
            if (want && w.hasHedge) {
              w.takeHedge()
              hedges++
            }
          }
          expect(hedges).toBeLessThanOrEqual((1 - q) * wants.length + HEDGE_DEFAULTS.burstHedges + 1e-9)
        },
      ),
    )
  })

  it('answers the ⌈q·(n + 1)⌉-th smallest sample once it has minSamples (no median floor)', () => {
    const w = new LatencyWindow(128, 20, 100, 10, 0)
    for (let ms = 1; ms <= 100; ms++) w.record(ms)
    expect(w.hedgeDelayMs(0.95)).toBe(96)
    expect(w.hedgeDelayMs(0.5)).toBe(51)
    expect(w.hedgeDelayMs(0.99)).toBe(100)
    expect(w.hedgeDelayMs(0.999)).toBe(100)
  })

  it('keeps the share of latencies that outlast the delay at most 1 - q on average', () => {
    // Uniform latencies: the chance a new one outlasts the delay is 1 - delay / 1000.
    let state = 42
    const next = (): number => {
      state = (state * 1_103_515_245 + 12_345) % 2 ** 31
      return state / 2 ** 31
    }
    let share = 0
    const trials = 400
    for (let t = 0; t < trials; t++) {
      // The rank rule alone: a uniform distribution's p95 is under twice its median.
      const w = new LatencyWindow(128, 20, 100, 10, 0)
      for (let i = 0; i < 128; i++) w.record(1_000 * next())
      share += 1 - w.hedgeDelayMs(0.95) / 1_000
    }
    expect(share / trials).toBeLessThanOrEqual(0.05)
    expect(share / trials).toBeGreaterThan(0.04)
  })

  it('keeps only the latest `size` samples: older latency is forgotten', () => {
    const w = new LatencyWindow(10, 5, 100, 10, 0)
    for (let i = 0; i < 10; i++) w.record(1_000)
    for (let i = 0; i < 10; i++) w.record(1)
    expect(w.count).toBe(10)
    expect(w.hedgeDelayMs(0.95)).toBe(1)
  })

  it('refreshes a cached quantile after a few new samples, and at once for another quantile', () => {
    const w = new LatencyWindow(20, 20, 100, 10, 0)
    for (let i = 0; i < 20; i++) w.record(10)
    expect(w.hedgeDelayMs(0.9)).toBe(10)
    for (let i = 0; i < 20; i++) w.record(50)
    expect(w.hedgeDelayMs(0.9)).toBe(50)
    expect(w.hedgeDelayMs(0.1)).toBe(50)
  })

  it('ignores NaN, negative and infinite samples', () => {
    const w = new LatencyWindow()
    for (const ms of [Number.NaN, -1, Number.POSITIVE_INFINITY]) w.record(ms)
    expect(w.count).toBe(0)
    expect(w.hedgeDelayMs(0.95)).toBe(HEDGE_DEFAULTS.startAfterMs)
  })

  it('always answers the larger of a sample it holds and twice the median (or the start value), never NaN', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { maxLength: 300 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        (samples, q) => {
          const plain = new LatencyWindow(64, 8, 100, 10, 0)
          const floored = new LatencyWindow(64, 8)
          for (const s of samples) {
            plain.record(s)
            floored.record(s)
          }
          const d = plain.hedgeDelayMs(q)
          expect(Number.isFinite(d) && d >= 0).toBe(true)
          const kept = samples.slice(-64)
          if (kept.length < 8) return
          expect(kept).toContain(d)
          const median = plain.hedgeDelayMs(0.5)
          expect(floored.hedgeDelayMs(q)).toBe(Math.max(d, HEDGE_DEFAULTS.medianMultiple * median))
        },
      ),
    )
  })

  it('never hedges sooner than twice the median: a tight fast band keeps its quantile out of reach', () => {
    // 120 fast responses of 1.00–1.49 ms and 8 slow ones: the p90 (the ⌈0.9 × 129⌉ = 117th of 128)
    // is a fast one, 1.48 ms; a hedge sent then answers about a median (1.22 ms, the 65th) later,
    // after the late fast reply.
    const w = new LatencyWindow()
    const plain = new LatencyWindow(128, 20, 100, 10, 0)
    for (const window of [w, plain]) {
      for (let i = 0; i < 120; i++) window.record(1 + (i % 50) / 100)
      for (let i = 0; i < 8; i++) window.record(300)
    }
    expect(plain.hedgeDelayMs(0.9)).toBe(1 + 48 / 100)
    const median = plain.hedgeDelayMs(0.5)
    expect(median).toBe(1 + 22 / 100)
    expect(w.hedgeDelayMs(0.9)).toBe(2 * median)
    // A spread-out distribution whose quantile is above twice the median keeps the quantile.
    const spread = new LatencyWindow()
    for (let i = 1; i <= 100; i++) spread.record(i * i)
    expect(spread.hedgeDelayMs(0.95)).toBe(96 * 96)
  })
})
