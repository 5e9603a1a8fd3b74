/**
 * CircuitBreaker behaviour the mutation run (`pnpm mutation`) found no test deciding: the failure
 * window across partial expiry, snapshots of a closed breaker, restore from half-open or stale
 * snapshots, and option and snapshot errors. Imports go through the package entry only, so
 * splitting or moving the breaker's files does not break them.
 */
import { CircuitBreaker, ErrorClass } from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const fail = (breaker: CircuitBreaker, errorClass: ErrorClass = ErrorClass.TRANSIENT) =>
  breaker.record({ kind: 'failure', errorClass }, breaker.admit())

/** A snapshot as read back from JSON: any field may hold anything. */
function snapshotOf(fields: Record<string, unknown>): unknown {
  return { version: 1, state: 'closed', failures: [], savedAt: Date.now(), ...fields }
}

/** A breaker whose RATE_LIMIT class opens it at 3 failures in 100 ms (any 100 failures would too), on a FakeClock. */
function rateLimitBreaker(): { clock: FakeClock; breaker: CircuitBreaker } {
  const clock = new FakeClock()
  const breaker = new CircuitBreaker({
    failureThreshold: 100,
    windowMs: 100,
    classThresholds: { [ErrorClass.RATE_LIMIT]: 3 },
    clock,
  })
  return { clock, breaker }
}

describe('CircuitBreaker: the failure window', () => {
  it('counts only the failures still in the window after older ones leave it', async () => {
    const clock = new FakeClock()
    const breaker = new CircuitBreaker({ failureThreshold: 4, windowMs: 100, clock })
    fail(breaker) // t=0
    await clock.advance(50)
    fail(breaker) // t=50
    await clock.advance(10)
    fail(breaker) // t=60
    await clock.advance(41)
    // t=101: the failure at 0 has left; 3 remain with this one, below 4.
    expect(fail(breaker)).toBeUndefined()
    expect(breaker.state).toBe('closed')
    expect(fail(breaker)).toBe('open')
  })

  it('opens on a class threshold once failures of that class in the window reach it', async () => {
    const { clock, breaker } = rateLimitBreaker()
    fail(breaker, ErrorClass.RATE_LIMIT) // t=0
    await clock.advance(20)
    fail(breaker, ErrorClass.RATE_LIMIT) // t=20
    await clock.advance(20)
    // t=40: the third, and the breaker opens.
    expect(fail(breaker, ErrorClass.RATE_LIMIT)).toBe('open')
  })

  it('keeps the remaining class count after one failure of the class leaves the window', async () => {
    const { clock, breaker } = rateLimitBreaker()
    fail(breaker, ErrorClass.RATE_LIMIT) // t=0
    await clock.advance(60)
    fail(breaker, ErrorClass.RATE_LIMIT) // t=60
    await clock.advance(10)
    fail(breaker, ErrorClass.TRANSIENT) // t=70
    await clock.advance(31)
    // t=101: the one at 0 has left; with this one, 2 RATE_LIMIT remain.
    expect(fail(breaker, ErrorClass.RATE_LIMIT)).toBeUndefined()
    expect(fail(breaker, ErrorClass.RATE_LIMIT)).toBe('open')
  })
})

describe('CircuitBreaker: snapshots', () => {
  it('leaves failures that have left the window out of a closed snapshot', async () => {
    const clock = new FakeClock()
    const breaker = new CircuitBreaker({ failureThreshold: 10, windowMs: 100, clock })
    fail(breaker) // t=0
    await clock.advance(50)
    fail(breaker) // t=50
    await clock.advance(10)
    fail(breaker) // t=60
    await clock.advance(41)
    expect(breaker.snapshot().failures).toEqual([
      { errorClass: ErrorClass.TRANSIENT, ageMs: 51 },
      { errorClass: ErrorClass.TRANSIENT, ageMs: 41 },
    ])
    await clock.advance(100)
    expect(breaker.snapshot().failures).toEqual([])
  })

  it('serialises with JSON.stringify as its snapshot', () => {
    const breaker = new CircuitBreaker({ clock: new FakeClock() })
    fail(breaker)
    const json = JSON.parse(JSON.stringify(breaker))
    expect(json).toEqual({ ...breaker.snapshot(), savedAt: expect.any(Number) })
    expect(json.failures).toEqual([{ errorClass: ErrorClass.TRANSIENT, ageMs: 0 }])
  })
})

describe('CircuitBreaker.restore', () => {
  // restore() takes the wall-clock time since `savedAt` off every age: with Date.now() frozen, no
  // millisecond passes between saving and restoring (else an exact age flakes at a tick).
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] })
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  const failures = (n: number, errorClass: ErrorClass = ErrorClass.TRANSIENT, ageMs = 0) =>
    Array.from({ length: n }, () => ({ errorClass, ageMs }))

  it('restores half-open without counting the failures saved with it', () => {
    const breaker = CircuitBreaker.restore(snapshotOf({ state: 'half_open', failures: failures(5) }), {
      clock: new FakeClock(),
    })
    expect(breaker.state).toBe('half_open')
  })

  it('drops saved failures of classes that no longer trip', () => {
    const breaker = CircuitBreaker.restore(snapshotOf({ failures: failures(5, ErrorClass.PERMANENT) }), {
      clock: new FakeClock(),
    })
    expect(breaker.state).toBe('closed')
    expect(breaker.snapshot().failures).toEqual([])
  })

  it('orders saved failures by age, so the ones past the window leave it whatever their order', () => {
    const saved = [
      { errorClass: ErrorClass.TRANSIENT, ageMs: 10 },
      { errorClass: ErrorClass.TRANSIENT, ageMs: 100_000 },
    ]
    const clock = new FakeClock(1_000_000)
    const breaker = CircuitBreaker.restore(snapshotOf({ failures: saved }), { failureThreshold: 2, clock })
    expect(breaker.state).toBe('closed')
    expect(breaker.snapshot().failures.map((f) => f.ageMs)).toEqual([10])
  })

  it.each([
    ['an unknown state', { state: 'ajar' }, /snapshot\.state must be 'closed', 'open' or 'half_open', got "ajar"/],
    ['a savedAt that is a string', { savedAt: '5' }, /snapshot\.savedAt must be a finite number/],
    ['a savedAt that is not finite', { savedAt: Number.NaN }, /snapshot\.savedAt must be a finite number/],
    ['a failure that is a number', { failures: [5] }, /snapshot\.failures\[0\] must be an object, got 5/],
    ['a failure that is null', { failures: [null] }, /snapshot\.failures\[0\] must be an object, got null/],
    [
      'an age that is a string',
      { failures: [{ errorClass: 'TRANSIENT', ageMs: '5' }] },
      /snapshot\.failures\[0\]\.ageMs must be a finite number >= 0/,
    ],
    [
      'a negative age',
      { failures: [{ errorClass: 'TRANSIENT', ageMs: -1 }] },
      /snapshot\.failures\[0\]\.ageMs must be a finite number >= 0/,
    ],
    [
      'an infinite openedAgoMs',
      { state: 'open', openedAgoMs: Number.POSITIVE_INFINITY },
      /snapshot\.openedAgoMs must be a finite number >= 0 when open/,
    ],
  ])('rejects %s, naming the field', (_case, fields, message) => {
    expect(() => CircuitBreaker.restore(snapshotOf(fields))).toThrow(TypeError)
    expect(() => CircuitBreaker.restore(snapshotOf(fields))).toThrow(message)
  })

  it('accepts ages of 0', () => {
    const breaker = CircuitBreaker.restore(snapshotOf({ failures: failures(1) }), { clock: new FakeClock() })
    expect(breaker.snapshot().failures).toEqual([{ errorClass: ErrorClass.TRANSIENT, ageMs: 0 }])
  })
})

describe('CircuitBreaker: options', () => {
  it.each([
    ['failureThreshold', { failureThreshold: Number.POSITIVE_INFINITY }],
    ['classThresholds.TRANSIENT', { classThresholds: { TRANSIENT: Number.POSITIVE_INFINITY } }],
  ])('rejects an infinite %s, naming it', (name, options) => {
    expect(() => new CircuitBreaker(options)).toThrow(
      new RangeError(`CircuitBreaker: ${name} must be a whole number >= 1, got Infinity`),
    )
  })

  it('does not offer Infinity when it rejects a threshold below 1', () => {
    expect(() => new CircuitBreaker({ failureThreshold: 0 })).toThrow(
      new RangeError('CircuitBreaker: failureThreshold must be a whole number >= 1, got 0'),
    )
  })

  it('ignores a class threshold given as undefined: that class does not trip', () => {
    // A JavaScript caller may spread an option object holding undefined values.
    const breaker = new CircuitBreaker({ classThresholds: { [ErrorClass.PERMANENT]: undefined } as never })
    expect(breaker.tripOn.has(ErrorClass.PERMANENT)).toBe(false)
    expect(breaker.classThresholds).toEqual({})
  })

  it('names classThresholds when it is not an object', () => {
    expect(() => new CircuitBreaker({ classThresholds: 5 as never })).toThrow(
      /^CircuitBreaker: classThresholds must be/,
    )
  })
})
