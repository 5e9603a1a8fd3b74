/**
 * Client-side throttling in the engine (issue 16): the admission check before a call's first
 * attempt — on the quiet fast path and in a full run — the `THROTTLED` stop, the `throttled`
 * event and `ThrottledError`, and the one outcome per call the throttle is told.
 */
import diagnostics_channel from 'node:diagnostics_channel'
import { describe, expect, it } from 'vitest'
import {
  AdaptiveThrottle,
  type AdmissionThrottle,
  CircuitBreaker,
  DIAGNOSTICS_CHANNELS,
  ErrorClass,
  EventName,
  isRedressError,
  isThrottledError,
  RetryPolicy,
  ServerError,
  StopReason,
  ThrottledError,
} from '../src/index.ts'
import { rejectionOf } from '../src/policy/rejectionOf.ts'
import { FakeClock, instantRetries, seededRandom } from '../src/testing/index.ts'

/** A throttle that answers as told and records what the engine tells it. */
class ScriptedThrottle implements AdmissionThrottle {
  admits = true
  readonly log: string[] = []
  admit(): boolean {
    this.log.push(this.admits ? 'admit' : 'refuse')
    return this.admits
  }
  recordSuccess(): void {
    this.log.push('success')
  }
  recordFailure(errorClass: ErrorClass): void {
    this.log.push(`failure ${errorClass}`)
  }
}

const failing = (): never => {
  throw new ServerError('503')
}

describe('a policy with a throttle', () => {
  it('never calls fn for a refused call, and rejects with a ThrottledError (quiet fast path)', async () => {
    const throttle = new ScriptedThrottle()
    throttle.admits = false
    const policy = new RetryPolicy({ throttle, clock: new FakeClock() })
    let calls = 0
    const error = await policy
      .call(() => {
        calls++
        return 1
      })
      .catch((e: unknown) => e)
    expect(calls).toBe(0)
    expect(error).toBeInstanceOf(ThrottledError)
    expect(isThrottledError(error)).toBe(true)
    expect(isRedressError(error)).toBe(true)
    expect((error as ThrottledError).code).toBe('ERR_REDRESS_THROTTLED')
    expect(throttle.log).toEqual(['refuse'])
  })

  it('stops with THROTTLED after no attempt and emits one throttled event (full run)', async () => {
    const throttle = new ScriptedThrottle()
    throttle.admits = false
    const metrics: [string, number, Record<string, unknown>][] = []
    const logs: [string, Record<string, unknown>][] = []
    const policy = new RetryPolicy({
      throttle,
      clock: new FakeClock(),
      onMetric: (event, attempt, _sleepMs, tags) => metrics.push([event, attempt, { ...tags }]),
      onLog: (event, fields) => logs.push([event, fields]),
    })
    const outcome = await policy.execute(() => 1, { operation: 'getUser' })
    expect(outcome).toMatchObject({ ok: false, stopReason: StopReason.THROTTLED, attempts: 0, cause: 'error' })
    expect(isThrottledError(outcome.lastError)).toBe(true)
    expect(metrics).toEqual([[EventName.THROTTLED, 0, { operation: 'getUser', stop_reason: 'THROTTLED' }]])
    expect(logs[0]?.[0]).toBe('throttled')
    expect(rejectionOf(outcome)).toBe(outcome.lastError)
  })

  it('publishes the refusal on the redress:throttled diagnostics channel', async () => {
    const throttle = new ScriptedThrottle()
    throttle.admits = false
    const seen: unknown[] = []
    const listener = (message: unknown): void => {
      seen.push(message)
    }
    diagnostics_channel.subscribe(DIAGNOSTICS_CHANNELS.throttled, listener)
    try {
      await new RetryPolicy({ throttle, clock: new FakeClock() }).execute(() => 1)
    } finally {
      diagnostics_channel.unsubscribe(DIAGNOSTICS_CHANNELS.throttled, listener)
    }
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ event: 'throttled', attempt: 0, tags: { stop_reason: 'THROTTLED' } })
  })

  it('is told one success for a call that succeeds on its first attempt, on the fast path', async () => {
    const throttle = new ScriptedThrottle()
    const policy = new RetryPolicy({ throttle, clock: new FakeClock() })
    for (let i = 0; i < 3; i++) expect(await policy.call(() => i)).toBe(i)
    expect(throttle.log).toEqual(['admit', 'success', 'admit', 'success', 'admit', 'success'])
  })

  it('is told one success, not one outcome per attempt, for a call a retry rescued', async () => {
    const throttle = new ScriptedThrottle()
    const policy = new RetryPolicy({ throttle, strategy: instantRetries, maxAttempts: 3, clock: new FakeClock() })
    let n = 0
    await policy.call(() => {
      n++
      if (n < 3) throw new ServerError('503')
      return 'ok'
    })
    expect(throttle.log).toEqual(['admit', 'success'])
  })

  it('is told the last failure class of a call that fails for good, and is asked once (no retry is admitted)', async () => {
    const throttle = new ScriptedThrottle()
    const policy = new RetryPolicy({ throttle, strategy: instantRetries, maxAttempts: 3, clock: new FakeClock() })
    await expect(policy.call(failing)).rejects.toBeInstanceOf(ServerError)
    expect(throttle.log).toEqual(['admit', `failure ${ErrorClass.SERVER_ERROR}`])
  })

  it('is told nothing about an aborted call or one the breaker refused', async () => {
    const throttle = new ScriptedThrottle()
    const controller = new AbortController()
    const policy = new RetryPolicy({ throttle, clock: new FakeClock() })
    const pending = policy.call(() => new Promise(() => {}), { signal: controller.signal })
    controller.abort(new Error('stop'))
    await expect(pending).rejects.toThrow('stop')
    const breaker = new CircuitBreaker({ failureThreshold: 1, clock: new FakeClock() })
    const guarded = new RetryPolicy({ throttle, circuitBreaker: breaker, maxAttempts: 1, clock: new FakeClock() })
    await expect(guarded.call(failing)).rejects.toBeInstanceOf(ServerError)
    await expect(guarded.call(() => 1)).rejects.toMatchObject({ name: 'CircuitOpenError' })
    expect(throttle.log).toEqual(['admit', 'admit', `failure ${ErrorClass.SERVER_ERROR}`, 'admit'])
  })

  it('uses the call’s own throttle instead of the policy’s, and none with throttle: null', async () => {
    const policyThrottle = new ScriptedThrottle()
    policyThrottle.admits = false
    const own = new ScriptedThrottle()
    const policy = new RetryPolicy({ throttle: policyThrottle, clock: new FakeClock() })
    expect(await policy.call(() => 'a', { throttle: own })).toBe('a')
    expect(await policy.call(() => 'b', { throttle: null })).toBe('b')
    expect(own.log).toEqual(['admit', 'success'])
    expect(policyThrottle.log).toEqual([])
  })

  it('admits a call whose throttle throws, and goes on', async () => {
    const broken: AdmissionThrottle = {
      admit: () => {
        throw new Error('broken')
      },
      recordSuccess: () => {
        throw new Error('broken')
      },
      recordFailure: () => {},
    }
    const policy = new RetryPolicy({ throttle: broken, clock: new FakeClock() })
    expect(await policy.call(() => 7)).toBe(7)
  })

  it('refuses the first attempt through the step API, which reports THROTTLED', () => {
    const throttle = new ScriptedThrottle()
    throttle.admits = false
    const run = new RetryPolicy({ throttle, clock: new FakeClock() }).start()
    expect(run.beginAttempt()).toEqual({ retry: false, stopReason: 'THROTTLED' })
    expect(run.done).toBe(true)
    expect(run.outcome().stopReason).toBe('THROTTLED')
  })

  it.each([
    ['an object without admit', { recordSuccess() {}, recordFailure() {} }],
    ['a number', 3],
  ])('rejects %s as throttle, naming the option', (_name, throttle) => {
    expect(() => new RetryPolicy({ throttle: throttle as never })).toThrow(/throttle must have admit\(\)/)
  })

  it('lets an AdaptiveThrottle shed a dead backend and admit everything again once it is back', async () => {
    const clock = new FakeClock()
    const throttle = new AdaptiveThrottle({ clock, random: seededRandom(3), windowMs: 10_000, maxRequests: 20 })
    const policy = new RetryPolicy({ throttle, clock, maxAttempts: 1 })
    let sent = 0
    let refused = 0
    let up = false
    const fn = (): string => {
      sent++
      if (!up) throw new ServerError('503')
      return 'ok'
    }
    for (let i = 0; i < 200; i++) {
      const outcome = await policy.execute(fn)
      if (outcome.stopReason === StopReason.THROTTLED) refused++
      await clock.advance(50)
    }
    expect(sent + refused).toBe(200)
    expect(refused).toBeGreaterThan(150)
    up = true
    // The probes that get through succeed; within a few windows nothing is refused.
    let lateRefused = 0
    for (let i = 0; i < 400; i++) {
      const outcome = await policy.execute(fn)
      if (i >= 300 && outcome.stopReason === StopReason.THROTTLED) lateRefused++
      await clock.advance(50)
    }
    expect(lateRefused).toBe(0)
  })
})
