/**
 * adaptive(): the option checks and the time window, case by case — behaviour the mutation run
 * (`pnpm mutation`) showed no other test pinned down.
 */
import { describe, expect, it } from 'vitest'
import { backoffContext } from '../../test/support/backoffContext.ts'
import type { Clock } from '../Clock.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { adaptive } from './adaptive.ts'
import type { BackoffContext } from './Strategy.ts'

const ctx = backoffContext(ErrorClass.TRANSIENT)()
const hundred = (_ctx: BackoffContext): number => 100

/** A clock whose time is set by hand (only `now` is read by adaptive). */
function manualClock(startMs = 0): Clock & { at: number } {
  const clock = { at: startMs, now: () => clock.at }
  return clock
}

describe('adaptive: options', () => {
  it('rejects a maxMultiplier below minMultiplier, naming both', () => {
    expect(() => adaptive(hundred, { minMultiplier: 2, maxMultiplier: 1 })).toThrow(RangeError)
    expect(() => adaptive(hundred, { minMultiplier: 2, maxMultiplier: 1 })).toThrow(
      new RangeError('adaptive: maxMultiplier must be a finite number >= 2, got 1'),
    )
  })

  it('rejects a minMultiplier above the default maxMultiplier, naming both values', () => {
    expect(() => adaptive(hundred, { minMultiplier: 6 })).toThrow(
      new RangeError('adaptive: maxMultiplier (5) must be >= minMultiplier (6)'),
    )
  })

  it('accepts a maxMultiplier equal to minMultiplier, which never lengthens backoff', () => {
    const strategy = adaptive(hundred, { minMultiplier: 2, maxMultiplier: 2, clock: manualClock() })
    for (let i = 0; i < 5; i++) strategy.recordFailure(ErrorClass.SERVER_ERROR)
    expect(strategy(ctx)).toBe(200)
  })

  it('names itself in every option error', () => {
    expect(() => adaptive(hundred, { windowMs: -1 })).toThrow(/^adaptive: windowMs/)
    expect(() => adaptive(hundred, { targetSuccess: 2 })).toThrow(/^adaptive: targetSuccess/)
    expect(() => adaptive(hundred, { minMultiplier: -1 })).toThrow(/^adaptive: minMultiplier/)
    expect(() => adaptive(hundred, { clock: {} as Clock })).toThrow(/^adaptive: clock/)
    expect(() => adaptive(hundred, { windowMS: 5 } as never)).toThrow(/^adaptive: unknown option "windowMS"/)
  })

  it('accepts every documented option', () => {
    const strategy = adaptive(hundred, {
      windowMs: 1_000,
      targetSuccess: 0.5,
      minMultiplier: 1,
      maxMultiplier: 3,
      clock: manualClock(),
    })
    expect(strategy(ctx)).toBe(100)
  })
})

// windowMs 20 000: 20 buckets of 1 000 ms.
describe('adaptive: the window', () => {
  it('lets successes age out too, so a lone recent failure then counts in full', () => {
    const clock = manualClock(2_500)
    const strategy = adaptive(hundred, { windowMs: 20_000, clock })
    for (let i = 0; i < 3; i++) strategy.recordSuccess()
    clock.at = 7_500
    strategy.recordFailure(ErrorClass.SERVER_ERROR)
    // 1 failure in 4: (0.25 - 0.1) / 0.9 of the way from 1 to 5.
    expect(strategy(ctx)).toBeCloseTo(100 * (1 + (4 * 0.15) / 0.9), 9)
    clock.at = 22_600 // the successes' bucket (2) has left the window, the failure's (7) has not
    expect(strategy(ctx)).toBe(500)
  })

  it('ages out each bucket on its own as time moves step by step', () => {
    const clock = manualClock(0)
    const strategy = adaptive(hundred, { windowMs: 20_000, clock })
    strategy.recordSuccess() // bucket 0
    clock.at = 1_000
    strategy.recordFailure(ErrorClass.SERVER_ERROR) // bucket 1
    clock.at = 2_000
    strategy.recordSuccess() // bucket 2
    clock.at = 20_000 // bucket 0 leaves: 1 success, 1 failure remain
    expect(strategy(ctx)).toBeCloseTo(100 * (1 + (4 * 0.4) / 0.9), 9)
    clock.at = 21_000 // bucket 1 leaves: only a success remains
    expect(strategy(ctx)).toBe(100)
  })

  it('treats a clock that steps back as standing still: outcomes then stay in the current bucket', () => {
    const clock = manualClock(5_000)
    const strategy = adaptive(hundred, { windowMs: 20_000, clock })
    strategy.recordSuccess() // bucket 5
    clock.at = 4_000
    strategy.recordFailure(ErrorClass.SERVER_ERROR) // still bucket 5
    clock.at = 5_500
    // Moving forward to bucket 5 again clears nothing: 1 success, 1 failure.
    expect(strategy(ctx)).toBeCloseTo(100 * (1 + (4 * 0.4) / 0.9), 9)
    clock.at = 24_999 // bucket 5 is still in the window (buckets 5–24)
    expect(strategy(ctx)).toBeCloseTo(100 * (1 + (4 * 0.4) / 0.9), 9)
    clock.at = 25_000
    expect(strategy(ctx)).toBe(100)
  })

  it('counts nothing until the clock gives a usable time', () => {
    const clock = manualClock(Number.NaN)
    const strategy = adaptive(hundred, { windowMs: 20_000, clock })
    for (let i = 0; i < 5; i++) strategy.recordFailure(ErrorClass.SERVER_ERROR)
    expect(strategy(ctx)).toBe(100)
    clock.at = 1_000
    strategy.recordFailure(ErrorClass.SERVER_ERROR)
    expect(strategy(ctx)).toBe(500)
  })

  it('keeps counting correctly at negative times', () => {
    const clock = manualClock(-3_500)
    const strategy = adaptive(hundred, { windowMs: 20_000, clock })
    strategy.recordSuccess()
    clock.at = -1_500
    strategy.recordFailure(ErrorClass.SERVER_ERROR)
    clock.at = 16_000 // bucket -4 has left (buckets -3 … 16 remain), bucket -2 has not
    expect(strategy(ctx)).toBe(500)
  })
})
