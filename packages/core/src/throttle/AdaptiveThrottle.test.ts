import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import { FakeClock } from '../testing/FakeClock.ts'
import { seededRandom } from '../testing/seededRandom.ts'
import { ADAPTIVE_THROTTLE_DEFAULTS, AdaptiveThrottle, type AdaptiveThrottleOptions } from './AdaptiveThrottle.ts'

/** The SRE formula as the book has it: no minimum, no cap, and a window large enough for these tests. */
const sreThrottle = (options: AdaptiveThrottleOptions = {}): AdaptiveThrottle =>
  new AdaptiveThrottle({ minRequests: 0, maxRequests: 100, maxRejectionProbability: 1, ...options })

const neverDrawn = (): number => {
  throw new Error('the throttle drew a random number')
}

/** The SRE formula, for the expectations. */
const sre = (requests: number, accepts: number, k = 2): number => Math.max(0, (requests - k * accepts) / (requests + 1))

describe('AdaptiveThrottle', () => {
  it('has K = 2 and decides on the latest 20 calls of the last 30 s, once it has seen 10, refusing at most 0.8', () => {
    const t = new AdaptiveThrottle()
    expect([t.k, t.windowMs, t.maxRequests, t.minRequests, t.maxRejectionProbability]).toEqual([2, 30_000, 20, 10, 0.8])
    expect(ADAPTIVE_THROTTLE_DEFAULTS).toEqual({
      k: 2,
      windowMs: 30_000,
      maxRequests: 20,
      minRequests: 10,
      maxRejectionProbability: 0.8,
    })
  })

  it('lets one call in five through to a backend that rejects everything, by default', () => {
    let draw = 0
    const t = new AdaptiveThrottle({ clock: new FakeClock(), random: () => draw })
    for (let i = 0; i < 20; i++) t.recordFailure(ErrorClass.SERVER_ERROR)
    // Uncapped, the formula gives 20/21.
    expect(t.rejectionProbability).toBe(0.8)
    draw = 0.8
    expect(t.admit()).toBe(true)
    draw = 0.8 - 1e-9
    expect(t.admit()).toBe(false)
  })

  it('stops refusing sooner after a backend recovers with the default cap than uncapped (issue 16)', async () => {
    // Per seed: a dead backend for 100 calls, then a healthy one; how many calls until the
    // throttle has admitted 20 in a row. A refusal counts in the window like a failure, so
    // uncapped, the few probes it lets through take longer to outnumber the old failures.
    const callsToRecover = async (maxRejectionProbability: number, seed: number): Promise<number> => {
      const clock = new FakeClock()
      const t = new AdaptiveThrottle({ clock, random: seededRandom(seed), maxRejectionProbability })
      for (let i = 0; i < 100; i++) {
        if (t.admit()) t.recordFailure(ErrorClass.SERVER_ERROR)
        await clock.advance(100)
      }
      let streak = 0
      for (let i = 1; i <= 10_000; i++) {
        if (t.admit()) {
          t.recordSuccess()
          streak++
        } else streak = 0
        if (streak === 20) return i
        await clock.advance(100)
      }
      return Number.POSITIVE_INFINITY
    }
    let capped = 0
    let uncapped = 0
    for (let seed = 1; seed <= 20; seed++) {
      capped += await callsToRecover(ADAPTIVE_THROTTLE_DEFAULTS.maxRejectionProbability, seed)
      uncapped += await callsToRecover(1, seed)
    }
    expect(capped).toBeLessThan(uncapped)
  })

  it('refuses nothing and draws no random number while every attempt succeeds', async () => {
    const clock = new FakeClock()
    const t = sreThrottle({ clock, random: neverDrawn })
    for (let i = 0; i < 10_000; i++) {
      expect(t.admit()).toBe(true)
      t.recordSuccess()
      if (i % 100 === 0) await clock.advance(7)
    }
    expect(t.rejectionProbability).toBe(0)
  })

  it('reads no clock while quiet: admit and recordSuccess only test a flag and bump a counter', () => {
    let reads = 0
    const clock = { now: (): number => ++reads }
    const t = new AdaptiveThrottle({ clock, random: neverDrawn })
    const atConstruction = reads
    for (let i = 0; i < 1_000; i++) {
      t.admit()
      t.recordSuccess()
    }
    expect(reads).toBe(atConstruction)
  })

  it.each([
    ['1 in 2 (exactly 1/K)', 1, 1],
    ['2 in 3', 2, 1],
    ['9 in 10', 9, 1],
  ])('refuses nothing while the backend accepts %s attempts', (_name, ok, bad) => {
    const t = sreThrottle({ clock: new FakeClock(), random: neverDrawn, windowMs: 1_000 })
    for (let round = 0; round < 500; round++) {
      for (let i = 0; i < ok; i++) {
        expect(t.admit()).toBe(true)
        t.recordSuccess()
      }
      for (let i = 0; i < bad; i++) {
        expect(t.admit()).toBe(true)
        t.recordFailure(ErrorClass.SERVER_ERROR)
      }
    }
    expect(t.rejectionProbability).toBe(0)
  })

  it('refuses with probability (requests − K·accepts) / (requests + 1)', () => {
    const clock = new FakeClock()
    const t = sreThrottle({ clock, windowMs: 10_000 })
    for (let i = 0; i < 3; i++) t.recordSuccess()
    for (let i = 0; i < 9; i++) t.recordFailure(ErrorClass.TRANSIENT)
    expect(t.rejectionProbability).toBeCloseTo(sre(12, 3), 12)
    expect(t.toJSON()).toEqual({
      k: 2,
      windowMs: 10_000,
      maxRequests: 100,
      minRequests: 0,
      requests: 12,
      accepts: 3,
      rejectionProbability: sre(12, 3),
    })
  })

  it.each([
    [1, sre(10, 2, 1)],
    [2, sre(10, 2, 2)],
    [3, sre(10, 2, 3)],
    [5, 0],
  ])('with K = %d and 2 accepts in 10 requests refuses with probability %f', (k, expected) => {
    const t = sreThrottle({ k, clock: new FakeClock() })
    t.recordSuccess()
    t.recordSuccess()
    for (let i = 0; i < 8; i++) t.recordFailure(ErrorClass.SERVER_ERROR)
    expect(t.rejectionProbability).toBeCloseTo(expected, 12)
  })

  it('refuses when the draw falls below the probability, and counts the refusal as a request', () => {
    let draw = 0.99
    const t = sreThrottle({ clock: new FakeClock(), random: () => draw })
    for (let i = 0; i < 4; i++) t.recordFailure(ErrorClass.TRANSIENT)
    const p = sre(4, 0) // 0.8
    expect(t.rejectionProbability).toBeCloseTo(p, 12)
    expect(t.admit()).toBe(true)
    draw = p - 1e-9
    expect(t.admit()).toBe(false)
    expect(t.toJSON().requests).toBe(5)
    expect(t.rejectionProbability).toBeCloseTo(sre(5, 0), 12)
  })

  it.each([ErrorClass.AUTH, ErrorClass.PERMISSION, ErrorClass.PERMANENT, ErrorClass.CONCURRENCY])(
    'counts a %s failure as an accept: the backend answered',
    (errorClass) => {
      const t = sreThrottle({ clock: new FakeClock(), random: neverDrawn })
      for (let i = 0; i < 50; i++) {
        t.recordFailure(errorClass)
        expect(t.admit()).toBe(true)
      }
      expect(t.rejectionProbability).toBe(0)
    },
  )

  it.each([ErrorClass.TRANSIENT, ErrorClass.SERVER_ERROR, ErrorClass.RATE_LIMIT, ErrorClass.UNKNOWN])(
    'counts a %s failure as a rejection',
    (errorClass) => {
      const t = sreThrottle({ clock: new FakeClock() })
      t.recordFailure(errorClass)
      expect(t.toJSON()).toMatchObject({ requests: 1, accepts: 0, rejectionProbability: 0.5 })
    },
  )

  it('forgets rejections once the window has passed and refuses nothing again', async () => {
    const clock = new FakeClock()
    const t = sreThrottle({ clock, windowMs: 1_000, random: () => 0 })
    for (let i = 0; i < 20; i++) t.recordFailure(ErrorClass.SERVER_ERROR)
    expect(t.admit()).toBe(false)
    await clock.advance(999)
    expect(t.admit()).toBe(false)
    await clock.advance(1_000)
    // A whole window without a rejection: quiet again.
    expect(t.admit()).toBe(true)
    expect(t.rejectionProbability).toBe(0)
  })

  it('lets an outage drain to a trickle of probes, then lets traffic back as the backend accepts again', async () => {
    const clock = new FakeClock()
    const random = seededRandom(7)
    const t = sreThrottle({ clock, windowMs: 10_000, random })
    let sent = 0
    let refused = 0
    // 10 calls per second for 30 s to a backend that rejects everything.
    for (let i = 0; i < 300; i++) {
      if (t.admit()) {
        sent++
        t.recordFailure(ErrorClass.SERVER_ERROR)
      } else refused++
      await clock.advance(100)
    }
    expect(refused).toBeGreaterThan(250)
    expect(t.rejectionProbability).toBeGreaterThan(0.95)
    // The backend recovers: the probes that go through succeed, and each window lets about twice
    // as many through as the one before (accepts grow, K·accepts outweighs the requests).
    const refusedPerWindow: number[] = []
    for (let w = 0; w < 8; w++) {
      let n = 0
      for (let i = 0; i < 100; i++) {
        if (t.admit()) t.recordSuccess()
        else n++
        await clock.advance(100)
      }
      refusedPerWindow.push(n)
    }
    expect(sent).toBeLessThan(50)
    // With this seed: 99, 93, 48, then nothing refused.
    for (let w = 1; w < refusedPerWindow.length; w++)
      expect(refusedPerWindow[w]).toBeLessThanOrEqual(refusedPerWindow[w - 1] ?? 0)
    expect(refusedPerWindow.slice(4)).toEqual([0, 0, 0, 0])
    expect(t.rejectionProbability).toBe(0)
  })

  it('decides on the latest maxRequests calls only', () => {
    const t = sreThrottle({ clock: new FakeClock(), maxRequests: 10, random: () => 0 })
    for (let i = 0; i < 1_000; i++) t.recordSuccess()
    for (let i = 0; i < 7; i++) t.recordFailure(ErrorClass.SERVER_ERROR)
    // Window: 3 accepts and 7 rejections, not 1 000 accepts.
    expect(t.toJSON()).toMatchObject({ requests: 10, accepts: 3 })
    expect(t.rejectionProbability).toBeCloseTo(sre(10, 3), 12)
    expect(t.admit()).toBe(false)
  })

  it('forgets a request windowMs after it ended, even in a window that is not full', async () => {
    const clock = new FakeClock()
    const t = sreThrottle({ clock, windowMs: 1_000 })
    t.recordFailure(ErrorClass.SERVER_ERROR)
    await clock.advance(500)
    t.recordFailure(ErrorClass.SERVER_ERROR)
    expect(t.toJSON().requests).toBe(2)
    await clock.advance(500)
    expect(t.toJSON().requests).toBe(1)
    await clock.advance(500)
    expect(t.toJSON().requests).toBe(0)
  })

  it('refuses nothing while the window holds fewer than minRequests requests', () => {
    const t = sreThrottle({ clock: new FakeClock(), minRequests: 5, random: () => 0 })
    for (let i = 0; i < 4; i++) t.recordFailure(ErrorClass.TRANSIENT)
    expect(t.rejectionProbability).toBe(0)
    expect(t.admit()).toBe(true)
    t.recordFailure(ErrorClass.TRANSIENT)
    expect(t.rejectionProbability).toBeCloseTo(sre(5, 0), 12)
    expect(t.admit()).toBe(false)
  })

  it('caps the refusal probability at maxRejectionProbability', () => {
    const t = sreThrottle({ clock: new FakeClock(), maxRejectionProbability: 0.5, random: () => 0.5 })
    for (let i = 0; i < 100; i++) t.recordFailure(ErrorClass.SERVER_ERROR)
    expect(t.rejectionProbability).toBe(0.5)
    expect(t.admit()).toBe(true)
  })

  it('keeps the accepts of a quiet spell, spread over it, when the first rejection comes', async () => {
    const clock = new FakeClock()
    const t = sreThrottle({ clock, windowMs: 10_000 })
    // 20 s of 10 successes per second: the last 100 (the window's capacity) ended within 10 s.
    for (let i = 0; i < 200; i++) {
      t.recordSuccess()
      await clock.advance(100)
    }
    t.recordFailure(ErrorClass.SERVER_ERROR)
    // The failure pushes the oldest accept out of the full window.
    expect(t.toJSON()).toMatchObject({ requests: 100, accepts: 99, rejectionProbability: 0 })
  })

  it('stays within [0, maxRejectionProbability] and admits everything while nothing was rejected', async () => {
    const op = fc.oneof(
      fc.constant({ kind: 'admit' as const }),
      fc.constant({ kind: 'success' as const }),
      fc.constantFrom(...Object.values(ErrorClass)).map((errorClass) => ({ kind: 'failure' as const, errorClass })),
      fc.integer({ min: 0, max: 3_000 }).map((ms) => ({ kind: 'advance' as const, ms })),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 150 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 10 }),
        async (ops, cap, k) => {
          const clock = new FakeClock()
          const t = sreThrottle({
            clock,
            k,
            windowMs: 5_000,
            maxRejectionProbability: cap,
            random: seededRandom(1),
          })
          let lastRejection = Number.NEGATIVE_INFINITY
          for (const o of ops) {
            if (o.kind === 'admit') {
              const admitted = t.admit()
              if (clock.now() - lastRejection >= 5_000) expect(admitted).toBe(true)
              if (!admitted) lastRejection = clock.now()
            } else if (o.kind === 'success') t.recordSuccess()
            else if (o.kind === 'failure') {
              t.recordFailure(o.errorClass)
              if (
                ![ErrorClass.AUTH, ErrorClass.PERMISSION, ErrorClass.PERMANENT, ErrorClass.CONCURRENCY].includes(
                  o.errorClass as never,
                )
              )
                lastRejection = clock.now()
            } else await clock.advance(o.ms)
            const p = t.rejectionProbability
            expect(p).toBeGreaterThanOrEqual(0)
            expect(p).toBeLessThanOrEqual(cap)
          }
        },
      ),
      { numRuns: 150 },
    )
  })

  it.each([
    ['options not an object', 3, TypeError, /options/],
    ['an unknown option', { K: 2 }, TypeError, /unknown option "K"/],
    ['k below 1', { k: 0.5 }, RangeError, /k must be .*>= 1.*0\.5/],
    ['k NaN', { k: Number.NaN }, RangeError, /k .*NaN/],
    ['k a string', { k: '2' }, TypeError, /k must be a number/],
    ['windowMs 0', { windowMs: 0 }, RangeError, /windowMs.*0/],
    ['minRequests fractional', { minRequests: 2.5 }, RangeError, /minRequests.*2\.5/],
    ['minRequests above maxRequests', { maxRequests: 5, minRequests: 6 }, RangeError, /minRequests.*6/],
    ['maxRequests 0', { maxRequests: 0 }, RangeError, /maxRequests.*0/],
    ['windowMs infinite', { windowMs: Number.POSITIVE_INFINITY }, RangeError, /windowMs.*Infinity/],
    ['maxRejectionProbability above 1', { maxRejectionProbability: 1.5 }, RangeError, /maxRejectionProbability.*1\.5/],
    ['clock without now', { clock: {} }, TypeError, /clock/],
    ['random not a function', { random: 0.5 }, TypeError, /random must be a function/],
  ])('rejects %s at construction', (_name, options, ErrorType, message) => {
    expect(() => new AdaptiveThrottle(options as never)).toThrow(ErrorType)
    expect(() => new AdaptiveThrottle(options as never)).toThrow(message)
  })

  it('documents its defaults as they are', () => {
    const source = readFileSync(new URL('./AdaptiveThrottle.ts', import.meta.url), 'utf8')
    for (const value of Object.values(ADAPTIVE_THROTTLE_DEFAULTS))
      expect(source).toMatch(new RegExp(`@default ${value}\\b`))
    expect(source.match(/@default \d/g)).toHaveLength(Object.keys(ADAPTIVE_THROTTLE_DEFAULTS).length)
  })
})
