/**
 * Budget, TokenBudget and RatioBudget behaviour the mutation run (`pnpm mutation`) found no test
 * deciding. Imports go through the package entry only, so moving the budgets' files does not
 * break them. Time is a FakeClock's, moved by hand.
 */
import { Budget, ErrorClass, RatioBudget, TokenBudget } from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { describe, expect, it } from 'vitest'

describe('Budget', () => {
  it('keeps counting retries past its first 16 within the window, and frees them in order', async () => {
    const clock = new FakeClock()
    const budget = new Budget({ maxRetries: 40, windowMs: 1_000, clock })
    for (let i = 0; i < 20; i++) expect(budget.tryAcquire()).toBe(true)
    await clock.advance(500)
    for (let i = 0; i < 20; i++) expect(budget.tryAcquire()).toBe(true)
    expect(budget.tryAcquire()).toBe(false)
    expect(budget.used).toBe(40)
    await clock.advance(500) // the first 20 leave the window
    expect(budget.used).toBe(20)
    for (let i = 0; i < 20; i++) expect(budget.tryAcquire()).toBe(true)
    expect(budget.tryAcquire()).toBe(false)
    await clock.advance(500)
    expect(budget.used).toBe(20)
    expect(budget.available).toBe(20)
  })

  it('takes an effectively unlimited maxRetries without allocating for it: what it keeps grows with the retries granted', async () => {
    // Number.MAX_SAFE_INTEGER is how a caller says "count, never refuse"; an array sized for it
    // cannot be allocated, up front or when the first 16 retries are outgrown.
    const clock = new FakeClock()
    const budget = new Budget({ maxRetries: Number.MAX_SAFE_INTEGER, windowMs: 1_000, clock })
    for (let i = 0; i < 100; i++) expect(budget.tryAcquire()).toBe(true)
    expect(budget.used).toBe(100)
    expect(budget.available).toBe(Number.MAX_SAFE_INTEGER - 100)
    await clock.advance(1_000)
    expect(budget.used).toBe(0)
  })

  it('names itself and the unit in its option errors', () => {
    expect(() => new Budget({ maxRetries: 'x' as never, windowMs: 10 })).toThrow(
      /^Budget: maxRetries must be a number of retries, got/,
    )
    expect(() => new Budget({ maxRetries: 3, windowMs: 10, retries: 3 } as never)).toThrow(
      /^Budget: unknown option "retries"/,
    )
  })
})

describe('TokenBudget', () => {
  it('names the range and the unit in its option errors', () => {
    expect(() => new TokenBudget({ maxTokens: 0.0001 })).toThrow(
      new RangeError('TokenBudget: maxTokens must be between 0.001 and 9007199254740.99, got 0.0001'),
    )
    expect(() => new TokenBudget({ maxTokens: 'x' as never })).toThrow(
      /^TokenBudget: maxTokens must be a number of tokens, got/,
    )
    expect(() => new TokenBudget({ tokenRatio: Number.NaN })).toThrow(/^TokenBudget: tokenRatio must be/)
  })
})

// windowMs 10 000 in 10 slices of 1 000 ms; minRetriesPerSecond 0 unless said, so only the ratio grants retries.
describe('RatioBudget', () => {
  const quietBudget = (clock: FakeClock) =>
    new RatioBudget({ ratio: 0.5, windowMs: 10_000, minRetriesPerSecond: 0, clock })

  it('counts successes seen while quiet as requests when asked for a retry', async () => {
    const clock = new FakeClock()
    const budget = quietBudget(clock)
    await clock.advance(5_000)
    for (let i = 0; i < 10; i++) budget.recordSuccess()
    // A retry granted counts against the requests: r + 1 <= 0.5 × (10 − r) holds up to r = 2.
    for (let i = 0; i < 3; i++) expect(budget.tryAcquire()).toBe(true)
    expect(budget.tryAcquire()).toBe(false)
  })

  it('spreads the successes seen while quiet over the quiet time, so the older part leaves the window first', async () => {
    const clock = new FakeClock()
    const budget = quietBudget(clock)
    await clock.advance(9_000)
    for (let i = 0; i < 9; i++) budget.recordSuccess()
    expect(budget.requests).toBeCloseTo(9, 9) // spread: one per slice from 0 to 9 000 ms
    await clock.advance(6_000) // t = 15 000: slices 6 … 15 remain
    expect(budget.requests).toBeCloseTo(3, 9)
  })

  it('counts successes one by one at their time after a failure, until a whole window passes without one', async () => {
    const clock = new FakeClock()
    const budget = quietBudget(clock)
    budget.recordFailure(ErrorClass.SERVER_ERROR) // t = 0: no longer quiet
    await clock.advance(6_000)
    budget.recordFailure(ErrorClass.SERVER_ERROR) // t = 6 000
    await clock.advance(1_000)
    budget.recordSuccess() // t = 7 000: counted at once, still not quiet (1 000 ms after a failure)
    await clock.advance(2_000)
    for (let i = 0; i < 9; i++) budget.recordSuccess() // t = 9 000, counted at once
    expect(budget.requests).toBe(12)
    await clock.advance(8_500) // t = 17 500: slices 8 … 17 remain, holding only the 9 at 9 000
    expect(budget.requests).toBe(9)
  })

  it('turns quiet again on the first success a whole window after the last failure', async () => {
    const clock = new FakeClock()
    const budget = quietBudget(clock)
    budget.recordFailure(ErrorClass.SERVER_ERROR) // t = 0
    await clock.advance(10_000)
    budget.recordSuccess() // t = 10 000: counted at once, and quiet from here
    await clock.advance(9_000)
    for (let i = 0; i < 9; i++) budget.recordSuccess() // t = 19 000, spread over 10 000 … 19 000
    expect(budget.requests).toBeCloseTo(10, 9)
    await clock.advance(6_000) // t = 25 000: slices 16 … 25 remain
    expect(budget.requests).toBeCloseTo(3, 9)
  })

  it('adds the spread to a slice that already holds successes counted at once', async () => {
    const clock = new FakeClock()
    const budget = quietBudget(clock)
    budget.recordFailure(ErrorClass.SERVER_ERROR) // t = 0
    await clock.advance(10_000)
    budget.recordSuccess() // t = 10 000, in slice 10, and quiet from here
    await clock.advance(2_000)
    for (let i = 0; i < 9; i++) budget.recordSuccess() // t = 12 000, spread over slices 10 and 11
    expect(budget.requests).toBeCloseTo(10, 9)
    await clock.advance(1_000) // t = 13 000: the failure's slice has left, slices 10 and 11 remain
    expect(budget.requests).toBeCloseTo(10, 9)
  })

  it('grants exactly ratio × requests retries at the boundary, and says so in toJSON', () => {
    const clock = new FakeClock()
    const budget = new RatioBudget({ ratio: 0.2, windowMs: 10_000, minRetriesPerSecond: 0, clock })
    for (let i = 0; i < 5; i++) budget.recordFailure(ErrorClass.SERVER_ERROR)
    expect(budget.toJSON()).toMatchObject({ requests: 5, retries: 0, retriesAllowed: true })
    expect(budget.tryAcquire()).toBe(true)
    expect(budget.toJSON()).toMatchObject({ requests: 4, retries: 1, retriesAllowed: false })
    expect(budget.tryAcquire()).toBe(false)
  })

  it('grants the floor of minRetriesPerSecond × window with no requests at all', () => {
    const clock = new FakeClock()
    const budget = new RatioBudget({ ratio: 0.2, windowMs: 10_000, minRetriesPerSecond: 0.2, clock })
    expect(budget.toJSON()).toMatchObject({ requests: 0, retries: 0, retriesAllowed: true })
    expect(budget.tryAcquire()).toBe(true)
    expect(budget.tryAcquire()).toBe(true)
    expect(budget.toJSON()).toMatchObject({ retries: 2, retriesAllowed: false })
    expect(budget.tryAcquire()).toBe(false)
  })

  it('names itself and the unit in its option errors', () => {
    expect(() => new RatioBudget({ minRetriesPerSecond: 'x' as never })).toThrow(
      /^RatioBudget: minRetriesPerSecond must be a number of retries per second, got/,
    )
    expect(() => new RatioBudget({ ratio: 11 })).toThrow(/^RatioBudget: ratio must be/)
  })
})
