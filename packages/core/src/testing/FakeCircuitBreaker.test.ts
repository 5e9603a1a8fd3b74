import { describe, expect, it } from 'vitest'
import type { CircuitBreakerLike } from '../breaker/CircuitBreakerLike.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { FakeCircuitBreaker } from './FakeCircuitBreaker.ts'

describe('FakeCircuitBreaker', () => {
  it('is a CircuitBreakerLike that starts closed and admits everything', () => {
    const breaker: CircuitBreakerLike = new FakeCircuitBreaker()
    expect(breaker.state).toBe('closed')
    expect(breaker.admit()).toEqual({ allowed: true, probe: false })
    expect(breaker.admit()).toEqual({ allowed: true, probe: false })
  })

  it('never trips on its own', () => {
    const breaker = new FakeCircuitBreaker()
    for (let i = 0; i < 100; i++) {
      expect(breaker.record({ kind: 'failure', errorClass: ErrorClass.TRANSIENT }, breaker.admit())).toBeUndefined()
    }
    expect(breaker.state).toBe('closed')
  })

  it('rejects everything while open, with the configured retryInMs', () => {
    const breaker = new FakeCircuitBreaker({ retryInMs: 1_234 }).open()
    expect(breaker.state).toBe('open')
    expect(breaker.admit()).toEqual({ allowed: false, probe: false, retryInMs: 1_234 })
    breaker.retryInMs = 5
    expect(breaker.admit().retryInMs).toBe(5)
  })

  it('lets one probe through at a time while half-open', () => {
    const breaker = new FakeCircuitBreaker({ state: 'half_open' })
    const probe = breaker.admit()
    expect(probe).toEqual({ allowed: true, probe: true })
    expect(breaker.admit()).toEqual({ allowed: false, probe: false })
    expect(breaker.record({ kind: 'neutral' }, probe)).toBeUndefined()
    expect(breaker.admit().probe).toBe(true)
  })

  it.each([
    ['a success closes it', { kind: 'success' } as const, 'closed'],
    ['a failure re-opens it', { kind: 'failure', errorClass: ErrorClass.SERVER_ERROR } as const, 'open'],
  ])('applies the probe verdict: %s', (_name, outcome, state) => {
    const breaker = new FakeCircuitBreaker().halfOpen()
    expect(breaker.record(outcome, breaker.admit())).toBe(state)
    expect(breaker.state).toBe(state)
  })

  it('lets the test move it between states, forgetting a probe in flight', () => {
    const breaker = new FakeCircuitBreaker().halfOpen()
    const probe = breaker.admit()
    breaker.close().halfOpen()
    expect(breaker.admit().probe).toBe(true)
    expect(breaker.record({ kind: 'success' }, probe)).toBeUndefined()
    breaker.state = 'open'
    expect(breaker.admit().allowed).toBe(false)
  })

  it('keeps every admission and record, in order', () => {
    const breaker = new FakeCircuitBreaker()
    const a = breaker.admit()
    breaker.open()
    const b = breaker.admit()
    breaker.record({ kind: 'success' }, a)
    expect(breaker.admissions).toEqual([a, b])
    expect(breaker.records).toEqual([{ outcome: { kind: 'success' }, admission: a }])
  })

  it.each([
    ['an unknown initial state', { state: 'ajar' }, TypeError, /state.*"ajar"/],
    ['a negative retryInMs', { retryInMs: -1 }, RangeError, /retryInMs.*-1/],
  ])('rejects %s', (_name, options, ErrorType, message) => {
    expect(() => new FakeCircuitBreaker(options as never)).toThrow(ErrorType)
    expect(() => new FakeCircuitBreaker(options as never)).toThrow(message)
  })

  it('rejects an unknown state assigned later', () => {
    const breaker = new FakeCircuitBreaker()
    expect(() => {
      breaker.state = 'broken' as never
    }).toThrow(/state.*"broken"/)
  })
})
