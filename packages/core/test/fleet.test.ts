import {
  adaptive,
  Budget,
  CircuitBreaker,
  CircuitOpenError,
  ErrorClass,
  PermanentError,
  type RetryOptions,
  RetryPolicy,
  ServerError,
  TokenBudget,
  TransientError,
} from '@redress/core'
import {
  DeterministicStrategy,
  FakeClock,
  instantRetries,
  noRetries,
  RecordingPolicy,
  seededRandom,
} from '@redress/core/testing'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { drain } from './support/drain.ts'

type Ev = [string, number, number, Record<string, unknown>]

function recorder() {
  const events: Ev[] = []
  return {
    events,
    onMetric: (e: string, a: number, s: number, t: Record<string, unknown>) => events.push([e, a, s, { ...t }]),
  }
}

describe('budgets in the engine', () => {
  it('stops with BUDGET_EXHAUSTED, emits budget_exhausted and rejects with the last error', async () => {
    const clock = new FakeClock()
    const budget = new Budget({ maxRetries: 1, windowMs: 60_000, clock })
    const r = recorder()
    const policy = new RetryPolicy({ clock, budget, strategy: instantRetries, onMetric: r.onMetric })
    const last = new TransientError('third')
    const errors = [new TransientError('1'), last]
    let i = 0
    await expect(
      drain(
        clock,
        policy.call(async () => Promise.reject(errors[i++])),
      ),
    ).rejects.toBe(last)
    expect(r.events.map((e) => [e[0], e[3]['stop_reason']])).toEqual([
      ['retry', undefined],
      ['budget_exhausted', 'BUDGET_EXHAUSTED'],
    ])
  })

  it('is shared across policies: one policy draining a TokenBudget stops retries in another', async () => {
    const clock = new FakeClock()
    const budget = new TokenBudget({ maxTokens: 4, tokenRatio: 0.1 })
    const a = new RetryPolicy({ clock, budget, strategy: instantRetries, maxAttempts: 2 })
    const b = new RetryPolicy({ clock, budget, strategy: instantRetries, maxAttempts: 2 })
    await drain(
      clock,
      a.execute(async () => Promise.reject(new ServerError())),
    )
    expect(budget.tokens).toBe(2) // two failed attempts cost two tokens; 2 <= 4 / 2 allows no more retries
    const outcome = await drain(
      clock,
      b.execute(async () => Promise.reject(new ServerError())),
    )
    expect(outcome.stopReason).toBe('BUDGET_EXHAUSTED')
    expect(outcome.attempts).toBe(1)
  })

  it('a per-call budget: null turns the budget off', async () => {
    const clock = new FakeClock()
    const budget = new Budget({ maxRetries: 0, windowMs: 1_000, clock })
    const policy = new RetryPolicy({ clock, budget, strategy: instantRetries, maxAttempts: 3 })
    const outcome = await drain(
      clock,
      policy.execute(async () => Promise.reject(new ServerError()), { budget: null }),
    )
    expect(outcome).toMatchObject({ attempts: 3, stopReason: 'MAX_ATTEMPTS_GLOBAL' })
  })
})

describe('the circuit breaker in the engine', () => {
  it('opens after the threshold of failed runs, rejects with CircuitOpenError, probes once and closes', async () => {
    const clock = new FakeClock()
    const breaker = new CircuitBreaker({ failureThreshold: 2, recoveryTimeoutMs: 1_000, clock })
    const r = recorder()
    const policy = new RetryPolicy({ clock, circuitBreaker: breaker, ...noRetries(), onMetric: r.onMetric })
    const fail = () => policy.call(async () => Promise.reject(new ServerError()))
    await expect(drain(clock, fail())).rejects.toBeInstanceOf(ServerError)
    await expect(drain(clock, fail())).rejects.toBeInstanceOf(ServerError)
    expect(breaker.state).toBe('open')
    let ran = false
    const rejected = await drain(
      clock,
      policy.call(async () => (ran = true)),
    ).catch((e: unknown) => e)
    expect(rejected).toBeInstanceOf(CircuitOpenError)
    expect((rejected as CircuitOpenError).retryInMs).toBe(1_000)
    expect(ran).toBe(false)
    await clock.advance(1_000)
    await expect(
      drain(
        clock,
        policy.call(async () => 'probe ok'),
      ),
    ).resolves.toBe('probe ok')
    expect(breaker.state).toBe('closed')
    expect(r.events.map((e) => e[0])).toEqual([
      'max_attempts_exceeded',
      'max_attempts_exceeded',
      'circuit_opened',
      'circuit_rejected',
      'circuit_half_open',
      'success',
      'circuit_closed',
    ])
  })

  it('records one outcome per run, not per attempt', async () => {
    const clock = new FakeClock()
    const breaker = new CircuitBreaker({ failureThreshold: 2, clock })
    const policy = new RetryPolicy({ clock, circuitBreaker: breaker, strategy: instantRetries, maxAttempts: 5 })
    await drain(
      clock,
      policy.execute(async () => Promise.reject(new ServerError())),
    )
    expect(breaker.state).toBe('closed') // five failed attempts, one failed run
  })

  it('does not count a deferred run as a failure', async () => {
    const clock = new FakeClock()
    const breaker = new CircuitBreaker({ failureThreshold: 1, clock })
    const policy = new RetryPolicy({ clock, circuitBreaker: breaker, sleep: () => 'defer' })
    const outcome = await drain(
      clock,
      policy.execute(async () => Promise.reject(new ServerError())),
    )
    expect(outcome.stopReason).toBe('SCHEDULED')
    expect(breaker.state).toBe('closed')
  })

  it('releases the half-open probe when the probe run is aborted', async () => {
    const clock = new FakeClock()
    const breaker = new CircuitBreaker({ failureThreshold: 1, recoveryTimeoutMs: 10, clock })
    const policy = new RetryPolicy({ clock, circuitBreaker: breaker, ...noRetries() })
    await drain(
      clock,
      policy.execute(async () => Promise.reject(new ServerError())),
    )
    await clock.advance(10)
    const ctrl = new AbortController()
    const probe = policy.call(() => new Promise(() => {}), { signal: ctrl.signal })
    ctrl.abort('gone')
    await expect(probe).rejects.toBe('gone')
    expect(breaker.state).toBe('half_open')
    await expect(
      drain(
        clock,
        policy.call(async () => 'second probe'),
      ),
    ).resolves.toBe('second probe')
    expect(breaker.state).toBe('closed')
  })
})

describe('adaptive in the engine', () => {
  it('sees first-try successes, so a mostly healthy upstream keeps the base backoff', async () => {
    const clock = new FakeClock()
    const strategy = adaptive(() => 100, { clock, targetSuccess: 0.5, maxMultiplier: 4 })
    const r = recorder()
    const policy = new RetryPolicy({ clock, strategy, onMetric: r.onMetric })
    for (let i = 0; i < 8; i++)
      await drain(
        clock,
        policy.call(async () => 'ok'),
      )
    let n = 0
    await drain(
      clock,
      policy.call(async () => (n++ === 0 ? Promise.reject(new ServerError()) : 'ok')),
    )
    const retry = r.events.find((e) => e[0] === 'retry')
    expect(retry?.[2]).toBe(100) // 1 failure in 10 outcomes is below the 50 % target
  })
})

describe('the step API', () => {
  it('answers retry-after or stop and carries JSON state across a restart', async () => {
    let now = 1_000
    const clock = { now: () => now }
    const r = recorder()
    const policy = new RetryPolicy({ clock, strategy: () => 250, maxAttempts: 3, onMetric: r.onMetric })
    const run = policy.start({ operation: 'sync' })
    expect(run.recordFailure(new TransientError())).toEqual({ retry: true, delayMs: 250 })
    const saved = JSON.stringify(run.state)
    now += 250
    const resumed = policy.resume(JSON.parse(saved))
    expect(resumed.recordFailure(new ServerError())).toEqual({ retry: true, delayMs: 250 })
    expect(resumed.recordFailure(new ServerError())).toEqual({ retry: false, stopReason: 'MAX_ATTEMPTS_GLOBAL' })
    expect(r.events.map((e) => [e[0], e[1], e[3]['operation']])).toEqual([
      ['retry', 1, 'sync'],
      ['retry', 2, 'sync'],
      ['max_attempts_exceeded', 3, 'sync'],
    ])
    expect(() => resumed.recordFailure(new ServerError())).toThrow(/already ended/)
  })

  it('answers a success with retry: false and no stop reason', () => {
    const run = new RetryPolicy().start()
    expect(run.recordSuccess('v')).toEqual({ retry: false, stopReason: undefined })
    expect(run.done).toBe(true)
  })

  it('rejects a corrupted state naming the field', () => {
    const policy = new RetryPolicy()
    const state = { ...policy.start().state, attempts: -1 }
    expect(() => policy.resume(state)).toThrow(/attempts/)
  })

  const outcomeArb = fc.array(
    fc.oneof(
      fc.constant<'ok'>('ok'),
      fc.constantFrom(
        ErrorClass.TRANSIENT,
        ErrorClass.SERVER_ERROR,
        ErrorClass.RATE_LIMIT,
        ErrorClass.CONCURRENCY,
        ErrorClass.UNKNOWN,
        ErrorClass.PERMANENT,
      ),
    ),
    { minLength: 1, maxLength: 8 },
  )
  const optionsArb = fc.record({
    maxAttempts: fc.integer({ min: 1, max: 6 }),
    maxUnknownAttempts: fc.integer({ min: 1, max: 3 }),
    deadlineMs: fc.integer({ min: 1, max: 5_000 }),
    seed: fc.integer(),
    maxRetries: fc.integer({ min: 0, max: 4 }),
  })
  it('emits the same events and outcome as call() for the same scripted outcomes (property)', async () => {
    const toError = (c: string) =>
      c === 'PERMANENT' ? new PermanentError() : c === 'UNKNOWN' ? new Error('?') : { errorClass: c }
    const classifier = (e: unknown) =>
      e instanceof PermanentError
        ? ErrorClass.PERMANENT
        : ((e as { errorClass?: ErrorClass }).errorClass ?? ErrorClass.UNKNOWN)
    await fc.assert(
      fc.asyncProperty(outcomeArb, optionsArb, async (script, o) => {
        const build = (clock: FakeClock, events: Ev[]): RetryOptions => ({
          clock,
          classifier,
          strategy: DeterministicStrategy([120, 400, 90, 1_000]),
          random: seededRandom(o.seed),
          maxAttempts: o.maxAttempts,
          maxUnknownAttempts: o.maxUnknownAttempts,
          deadlineMs: o.deadlineMs,
          budget: new Budget({ maxRetries: o.maxRetries, windowMs: 10_000, clock }),
          onMetric: (e, a, s, t) => events.push([e, a, s, { ...t }]),
        })
        // driven by call()
        const c1 = new FakeClock()
        const e1: Ev[] = []
        let i = 0
        const outcome1 = await drain(
          c1,
          new RetryPolicy(build(c1, e1)).execute(async () => {
            const step = script[Math.min(i++, script.length - 1)] as string
            if (step === 'ok') return 'value'
            throw toError(step)
          }),
        )
        // driven by the step API, sleeping on the same virtual clock
        const c2 = new FakeClock()
        const e2: Ev[] = []
        const run = new RetryPolicy(build(c2, e2)).start()
        for (let j = 0; ; j++) {
          const step = script[Math.min(j, script.length - 1)] as string
          const d = step === 'ok' ? run.recordSuccess('value') : run.recordFailure(toError(step))
          if (!d.retry) break
          await c2.advance(d.delayMs)
          if (run.beginAttempt() !== undefined) break
        }
        const outcome2 = run.outcome()
        expect(e2).toEqual(e1)
        expect({ ...outcome2, value: undefined, lastError: undefined, timeline: undefined }).toEqual({
          ...outcome1,
          value: undefined,
          lastError: undefined,
          timeline: undefined,
        })
      }),
      { numRuns: 300 },
    )
  })
})

describe('RecordingPolicy', () => {
  it('records each run with its events and outcome', async () => {
    const clock = new FakeClock()
    const policy = new RecordingPolicy({ clock, strategy: instantRetries })
    let n = 0
    await drain(
      clock,
      policy.call(async () => (n++ < 2 ? Promise.reject(new TransientError()) : 'ok'), { operation: 'load' }),
    )
    expect(policy.calls).toHaveLength(1)
    expect(policy.calls[0]?.operation).toBe('load')
    expect(policy.calls[0]?.events.map((e) => e.event)).toEqual(['retry', 'retry', 'success'])
    expect(policy.calls[0]?.outcome).toMatchObject({ ok: true, attempts: 3 })
  })
})
