import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import { FakeClock } from '../testing/FakeClock.ts'
import { Budget } from './Budget.ts'

describe('Budget', () => {
  it('grants maxRetries retries within the window, then refuses', () => {
    const clock = new FakeClock()
    const budget = new Budget({ maxRetries: 3, windowMs: 1_000, clock })
    expect([budget.tryAcquire(), budget.tryAcquire(), budget.tryAcquire(), budget.tryAcquire()]).toEqual([
      true,
      true,
      true,
      false,
    ])
    expect(budget.used).toBe(3)
    expect(budget.available).toBe(0)
  })

  it('frees a retry exactly windowMs after it was granted', async () => {
    const clock = new FakeClock()
    const budget = new Budget({ maxRetries: 1, windowMs: 1_000, clock })
    expect(budget.tryAcquire()).toBe(true)
    await clock.advance(999)
    expect(budget.tryAcquire()).toBe(false)
    await clock.advance(1)
    expect(budget.tryAcquire()).toBe(true)
  })

  it('rolls: each grant expires on its own, not the whole window at once', async () => {
    const clock = new FakeClock()
    const budget = new Budget({ maxRetries: 2, windowMs: 100, clock })
    budget.tryAcquire() // t=0
    await clock.advance(50)
    budget.tryAcquire() // t=50
    await clock.advance(50) // t=100: the first has left, the second is still in
    expect(budget.used).toBe(1)
    expect(budget.tryAcquire()).toBe(true)
    expect(budget.tryAcquire()).toBe(false)
  })

  it('does not count refused attempts against the window', async () => {
    const clock = new FakeClock()
    const budget = new Budget({ maxRetries: 1, windowMs: 100, clock })
    budget.tryAcquire()
    for (let i = 0; i < 10; i++) {
      await clock.advance(5)
      budget.tryAcquire()
    }
    await clock.advance(50) // t=100: only the one grant at t=0 was recorded
    expect(budget.tryAcquire()).toBe(true)
  })

  it('refuses every retry when maxRetries is 0', () => {
    const budget = new Budget({ maxRetries: 0, windowMs: 1_000, clock: new FakeClock() })
    expect(budget.tryAcquire()).toBe(false)
    expect(budget.toJSON()).toEqual({ maxRetries: 0, windowMs: 1_000, used: 0, available: 0 })
  })

  it('ignores successes and failures', () => {
    const budget = new Budget({ maxRetries: 1, windowMs: 1_000, clock: new FakeClock() })
    for (const c of Object.values(ErrorClass)) budget.recordFailure(c)
    budget.recordSuccess()
    expect(budget.used).toBe(0)
    expect(budget.tryAcquire()).toBe(true)
    budget.recordSuccess()
    expect(budget.tryAcquire()).toBe(false)
  })

  it('is one pool when shared by several callers', () => {
    const budget = new Budget({ maxRetries: 4, windowMs: 1_000, clock: new FakeClock() })
    const callerA = (): boolean => budget.tryAcquire()
    const callerB = (): boolean => budget.tryAcquire()
    expect([callerA(), callerB(), callerA(), callerB(), callerA()]).toEqual([true, true, true, true, false])
  })

  it('holds more grants than its initial storage, in order', async () => {
    const clock = new FakeClock()
    const budget = new Budget({ maxRetries: 1_000, windowMs: 10_000, clock })
    for (let i = 0; i < 1_000; i++) {
      expect(budget.tryAcquire()).toBe(true)
      await clock.advance(i === 499 ? 1 : 0)
    }
    expect(budget.tryAcquire()).toBe(false)
    await clock.advance(9_999) // t=10_000: the 500 grants made at t=0 leave
    expect(budget.used).toBe(500)
  })

  it('shows a plain view for health endpoints', async () => {
    const clock = new FakeClock()
    const budget = new Budget({ maxRetries: 5, windowMs: 100, clock })
    budget.tryAcquire()
    budget.tryAcquire()
    expect(JSON.parse(JSON.stringify(budget))).toEqual({ maxRetries: 5, windowMs: 100, used: 2, available: 3 })
    await clock.advance(100)
    expect(budget.toJSON()).toEqual({ maxRetries: 5, windowMs: 100, used: 0, available: 5 })
  })

  it.each([
    ['options missing', undefined, TypeError, /options/],
    ['maxRetries missing', { windowMs: 1 }, RangeError, /maxRetries.*undefined/],
    ['maxRetries negative', { maxRetries: -1, windowMs: 1 }, RangeError, /maxRetries.*-1/],
    ['maxRetries fractional', { maxRetries: 1.5, windowMs: 1 }, RangeError, /maxRetries.*1\.5/],
    ['maxRetries NaN', { maxRetries: Number.NaN, windowMs: 1 }, RangeError, /maxRetries.*NaN/],
    ['maxRetries a string', { maxRetries: '3', windowMs: 1 }, TypeError, /maxRetries.*"3"/],
    ['windowMs missing', { maxRetries: 1 }, RangeError, /windowMs.*undefined/],
    ['windowMs 0', { maxRetries: 1, windowMs: 0 }, RangeError, /windowMs.*0/],
    ['windowMs infinite', { maxRetries: 1, windowMs: Number.POSITIVE_INFINITY }, RangeError, /windowMs.*Infinity/],
    ['clock without now', { maxRetries: 1, windowMs: 1, clock: {} }, TypeError, /clock/],
  ])('rejects %s at construction', (_name, options, ErrorType, message) => {
    expect(() => new Budget(options as never)).toThrow(ErrorType)
    expect(() => new Budget(options as never)).toThrow(message)
  })

  it('agrees with a naive rolling window and stays within [0, maxRetries] under any interleaving', async () => {
    const op = fc.oneof(
      fc.constant({ kind: 'acquire' as const }),
      fc.constant({ kind: 'success' as const }),
      fc.constantFrom(...Object.values(ErrorClass)).map((errorClass) => ({ kind: 'failure' as const, errorClass })),
      fc.integer({ min: 0, max: 150 }).map((ms) => ({ kind: 'advance' as const, ms })),
    )
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 200 }),
        fc.array(op, { maxLength: 120 }),
        async (maxRetries, windowMs, ops) => {
          const clock = new FakeClock()
          const budget = new Budget({ maxRetries, windowMs, clock })
          let granted: number[] = []
          for (const o of ops) {
            if (o.kind === 'acquire') {
              granted = granted.filter((t) => clock.now() - t < windowMs)
              const expected = granted.length < maxRetries
              if (expected) granted.push(clock.now())
              expect(budget.tryAcquire()).toBe(expected)
            } else if (o.kind === 'success') budget.recordSuccess()
            else if (o.kind === 'failure') budget.recordFailure(o.errorClass)
            else await clock.advance(o.ms)
            const used = budget.used
            expect(used).toBeGreaterThanOrEqual(0)
            expect(used).toBeLessThanOrEqual(maxRetries)
            expect(used).toBe(granted.filter((t) => clock.now() - t < windowMs).length)
          }
        },
      ),
      { numRuns: 150 },
    )
  })
})
