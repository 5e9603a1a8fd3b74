import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import { FakeClock } from '../testing/FakeClock.ts'
import { RATIO_BUDGET_DEFAULTS, RatioBudget } from './RatioBudget.ts'

/** One request that fails once and asks for a retry; returns whether it was granted. */
const failAndAsk = (budget: RatioBudget): boolean => {
  budget.recordFailure(ErrorClass.SERVER_ERROR)
  const granted = budget.tryAcquire()
  if (granted) budget.recordSuccess() // the retry's own outcome
  return granted
}

describe('RatioBudget', () => {
  it("has Finagle's defaults: 20 % of requests over 10 s, plus 10 retries per second", () => {
    const b = new RatioBudget({ clock: new FakeClock() })
    expect([b.ratio, b.windowMs, b.minRetriesPerSecond]).toEqual([0.2, 10_000, 10])
  })

  it('grants one retry per five requests once the floor is spent', () => {
    const b = new RatioBudget({ clock: new FakeClock(), minRetriesPerSecond: 0 })
    for (let i = 0; i < 4; i++) b.recordSuccess()
    // 5 requests (4 successes and this failure): 0.2 · 5 = 1 retry.
    expect(failAndAsk(b)).toBe(true)
    expect(failAndAsk(b)).toBe(false)
    for (let i = 0; i < 4; i++) b.recordSuccess()
    expect(failAndAsk(b)).toBe(true)
    expect(b.toJSON()).toMatchObject({ requests: 11, retries: 2 })
  })

  it('grants the floor, minRetriesPerSecond × the window, with no requests at all', () => {
    const b = new RatioBudget({ clock: new FakeClock(), ratio: 0, minRetriesPerSecond: 0.5, windowMs: 10_000 })
    const granted = Array.from({ length: 8 }, () => b.tryAcquire())
    expect(granted).toEqual([true, true, true, true, true, false, false, false])
  })

  it('keeps retries within ratio × requests + floor in a total outage, whatever the rate', async () => {
    const clock = new FakeClock()
    const b = new RatioBudget({ clock, ratio: 0.2, minRetriesPerSecond: 1, windowMs: 10_000 })
    let requests = 0
    let retries = 0
    for (let i = 0; i < 6_000; i++) {
      requests++
      // Up to two retries per request, each failing too.
      b.recordFailure(ErrorClass.SERVER_ERROR)
      for (let r = 0; r < 2 && b.tryAcquire(); r++) {
        retries++
        b.recordFailure(ErrorClass.SERVER_ERROR)
      }
      await clock.advance(10)
    }
    // 60 s: 0.2 per request plus 1 per second.
    expect(retries).toBeLessThanOrEqual(0.2 * requests + 60 + 10)
    expect(retries).toBeGreaterThan(0.2 * requests)
  })

  it('lets every retry through while failures stay under the ratio', async () => {
    const clock = new FakeClock()
    const b = new RatioBudget({ clock, minRetriesPerSecond: 0 })
    // 1 in 10 requests fails once: 0.1 retries per request, under 0.2.
    for (let i = 0; i < 5_000; i++) {
      if (i % 10 === 9) expect(failAndAsk(b)).toBe(true)
      else b.recordSuccess()
      await clock.advance(5)
    }
  })

  it('forgets requests and retries after the window', async () => {
    const clock = new FakeClock()
    const b = new RatioBudget({ clock, minRetriesPerSecond: 0, windowMs: 1_000 })
    for (let i = 0; i < 10; i++) b.recordSuccess()
    expect(failAndAsk(b)).toBe(true)
    await clock.advance(1_000)
    expect(b.toJSON()).toMatchObject({ requests: 0, retries: 0, retriesAllowed: false })
    expect(b.tryAcquire()).toBe(false)
  })

  it('counts the successes of a quiet spell, spread over it, at the next failure', async () => {
    const clock = new FakeClock()
    const b = new RatioBudget({ clock, minRetriesPerSecond: 0, windowMs: 10_000 })
    // 20 s of 10 requests per second; at t = 20 s the window (1 s slices) keeps [11 s, 20 s).
    for (let i = 0; i < 200; i++) {
      b.recordSuccess()
      await clock.advance(100)
    }
    b.recordFailure(ErrorClass.SERVER_ERROR)
    expect(b.requests).toBeCloseTo(91, 6)
    let granted = 0
    while (b.tryAcquire()) granted++
    // retries + 1 <= 0.2 · (91 − retries): 15 retries.
    expect(granted).toBe(15)
  })

  it('grants a retry only while retries stay within ratio × requests in the window, under any interleaving', async () => {
    const op = fc.oneof(
      fc.constant({ kind: 'acquire' as const }),
      fc.constant({ kind: 'success' as const }),
      fc.constant({ kind: 'failure' as const }),
      fc.integer({ min: 0, max: 400 }).map((ms) => ({ kind: 'advance' as const, ms })),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 150 }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        async (ops, ratio) => {
          const clock = new FakeClock()
          const b = new RatioBudget({ clock, ratio, minRetriesPerSecond: 0, windowMs: 1_000 })
          for (const o of ops) {
            if (o.kind === 'acquire') {
              const before = b.toJSON()
              const granted = b.tryAcquire()
              expect(granted).toBe(before.retriesAllowed)
              if (granted) expect(before.retries + 1).toBeLessThanOrEqual(ratio * before.requests + 1e-6)
            } else if (o.kind === 'success') b.recordSuccess()
            else if (o.kind === 'failure') b.recordFailure(ErrorClass.TRANSIENT)
            else await clock.advance(o.ms)
            const v = b.toJSON()
            expect(Number.isFinite(v.requests) && v.requests >= 0).toBe(true)
          }
        },
      ),
      { numRuns: 150 },
    )
  })

  it.each([
    ['options not an object', 'x', TypeError, /options/],
    ['an unknown option', { percent: 20 }, TypeError, /unknown option "percent"/],
    ['ratio negative', { ratio: -0.1 }, RangeError, /ratio.*-0\.1/],
    ['ratio above 10', { ratio: 11 }, RangeError, /ratio.*11/],
    ['windowMs 0', { windowMs: 0 }, RangeError, /windowMs.*0/],
    ['minRetriesPerSecond negative', { minRetriesPerSecond: -1 }, RangeError, /minRetriesPerSecond.*-1/],
    ['clock without now', { clock: {} }, TypeError, /clock/],
  ])('rejects %s at construction', (_name, options, ErrorType, message) => {
    expect(() => new RatioBudget(options as never)).toThrow(ErrorType)
    expect(() => new RatioBudget(options as never)).toThrow(message)
  })

  it('documents its defaults as they are', () => {
    const source = readFileSync(new URL('./RatioBudget.ts', import.meta.url), 'utf8')
    expect(source).toContain(`@default ${RATIO_BUDGET_DEFAULTS.ratio}\n`)
    expect(source).toContain(`@default ${RATIO_BUDGET_DEFAULTS.windowMs}\n`)
    expect(source).toContain(`@default ${RATIO_BUDGET_DEFAULTS.minRetriesPerSecond}\n`)
  })
})
