import {
  AbortRetryError,
  type BackoffContext,
  ErrorClass,
  EventName,
  PermanentError,
  RateLimitError,
  RetryExhaustedError,
  type RetryOptions,
  RetryPolicy,
  ServerError,
  StopReason,
  TransientError,
} from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { describe, expect, it } from 'vitest'
import { quiet, drain as settle } from './support/drain.ts'

type Event = { event: string; attempt: number; sleepMs: number; tags: Record<string, unknown> }

function setup(options: RetryOptions = {}) {
  const clock = new FakeClock()
  const events: Event[] = []
  const policy = new RetryPolicy({
    clock,
    random: () => 0.5,
    onMetric: (event, attempt, sleepMs, tags) => events.push({ event, attempt, sleepMs, tags: { ...tags } }),
    ...options,
  })
  return { clock, events, policy }
}

/** An operation that fails with the given errors in order, then returns `value`. */
function script<T>(failures: unknown[], value: T) {
  let calls = 0
  const fn = async () => {
    const f = failures[calls++]
    if (f !== undefined) throw f
    return value
  }
  return { fn, calls: () => calls }
}

describe('RetryPolicy.call', () => {
  it('retries transient failures and resolves with the value', async () => {
    const { clock, events, policy } = setup({ strategy: () => 100 })
    const op = script([new TransientError(), new ServerError()], 'ok')
    await expect(settle(clock, policy.call(op.fn, { operation: 'getUser' }))).resolves.toBe('ok')
    expect(op.calls()).toBe(3)
    expect(events.map((e) => e.event)).toEqual(['retry', 'retry', 'success'])
    expect(events[0]).toMatchObject({ attempt: 1, sleepMs: 100, tags: { operation: 'getUser', class: 'TRANSIENT' } })
    expect(events[1]?.tags).toMatchObject({ class: 'SERVER_ERROR' })
    expect(clock.now()).toBe(200)
  })

  it('rejects with the original last error, and neither sleeps nor emits retry after the final attempt', async () => {
    let acquired = 0
    const budget = {
      tryAcquire: () => {
        acquired++
        return true
      },
      recordSuccess: () => {},
      recordFailure: () => {},
    }
    const { clock, events, policy } = setup({ strategy: () => 300, maxAttempts: 2, budget })
    const last = new TransientError('second')
    const op = script([new TransientError('first'), last], 'never')
    await expect(settle(clock, policy.call(op.fn))).rejects.toBe(last)
    expect(clock.now()).toBe(300) // one sleep between two attempts, none after the last (Python sleeps twice)
    expect(events.map((e) => e.event)).toEqual(['retry', 'max_attempts_exceeded'])
    expect(events[1]?.tags).toMatchObject({ stop_reason: 'MAX_ATTEMPTS_GLOBAL', class: 'TRANSIENT' })
    expect(acquired).toBe(1)
  })

  it('allows exactly maxUnknownAttempts attempts that end in UNKNOWN', async () => {
    const { clock, events, policy } = setup({ strategy: () => 1, maxUnknownAttempts: 2 })
    const op = script([new Error('a'), new Error('b'), new Error('c')], 'ok')
    const outcome = await settle(clock, policy.execute(op.fn))
    expect(op.calls()).toBe(2)
    expect(outcome.stopReason).toBe(StopReason.MAX_UNKNOWN_ATTEMPTS)
    expect(events.at(-1)?.event).toBe(EventName.MAX_UNKNOWN_ATTEMPTS_EXCEEDED)
  })

  it('allows exactly perClassMaxAttempts[c] attempts that end in class c', async () => {
    const { clock, events, policy } = setup({ strategy: () => 1, perClassMaxAttempts: { SERVER_ERROR: 2 } })
    const op = script([new ServerError(), new TransientError(), new ServerError(), new ServerError()], 'ok')
    const outcome = await settle(clock, policy.execute(op.fn))
    expect(op.calls()).toBe(3)
    expect(outcome.stopReason).toBe(StopReason.MAX_ATTEMPTS_PER_CLASS)
    expect(events.at(-1)).toMatchObject({
      event: 'max_attempts_exceeded',
      tags: { stop_reason: 'MAX_ATTEMPTS_PER_CLASS' },
    })
  })

  it('never retries AUTH, PERMISSION or PERMANENT', async () => {
    for (const error of [new PermanentError(), { status: 401 }, { status: 403 }, { status: 404 }]) {
      const { clock, events, policy } = setup()
      const op = script([error], 'ok')
      await expect(settle(clock, policy.call(op.fn))).rejects.toBe(error)
      expect(op.calls()).toBe(1)
      expect(events.map((e) => e.event)).toEqual(['permanent_fail'])
      expect(events[0]?.tags['stop_reason']).toBe('NON_RETRYABLE_CLASS')
    }
  })

  it('adds the HTTP status carried by a failure as the status tag', async () => {
    const { clock, events, policy } = setup({ maxAttempts: 2, strategy: () => 1 })
    const op = script([{ status: 503 }, { response: { status: 502 } }], 'ok')
    await settle(clock, policy.execute(op.fn))
    expect(events.map((e) => e.tags['status'])).toEqual([503, 502])
  })

  it('stops with NO_STRATEGY when strategies leave a class uncovered and there is no fallback', async () => {
    const { clock, events, policy } = setup({ strategies: { RATE_LIMIT: () => 5 } })
    const op = script([new ServerError()], 'ok')
    const outcome = await settle(clock, policy.execute(op.fn))
    expect(outcome.stopReason).toBe(StopReason.NO_STRATEGY)
    expect(events.map((e) => e.event)).toEqual(['no_strategy_configured'])
  })

  it('uses the per-class strategy before the fallback', async () => {
    const { clock, events, policy } = setup({ strategy: () => 10, strategies: { RATE_LIMIT: () => 700 } })
    const op = script([new RateLimitError(), new ServerError()], 'ok')
    await settle(clock, policy.call(op.fn))
    expect(events.filter((e) => e.event === 'retry').map((e) => e.sleepMs)).toEqual([700, 10])
  })

  it('accepts the legacy (attempt, errorClass, prevSleepMs) strategy form', async () => {
    const seen: unknown[] = []
    const legacy = (attempt: number, errorClass: ErrorClass, prev: number | undefined) => {
      seen.push([attempt, errorClass, prev])
      return 50 * attempt
    }
    const { clock, policy } = setup({ strategy: legacy })
    await settle(clock, policy.call(script([new TransientError(), new TransientError()], 1).fn))
    expect(seen).toEqual([
      [1, 'TRANSIENT', undefined],
      [2, 'TRANSIENT', 50],
    ])
  })

  it('turns NaN and negative sleeps into 0 and stops at once on an infinite one', async () => {
    const { clock, events, policy } = setup({
      strategy: ({ attempt }: BackoffContext) => (attempt === 1 ? Number.NaN : attempt === 2 ? -5 : Infinity),
    })
    const outcome = await settle(
      clock,
      policy.execute(script([new TransientError(), new TransientError(), new TransientError()], 1).fn),
    )
    expect(events.map((e) => [e.event, e.sleepMs])).toEqual([
      ['retry', 0],
      ['retry', 0],
      ['deadline_exceeded', Infinity],
    ])
    expect(outcome.stopReason).toBe('DEADLINE_EXCEEDED')
    expect(clock.now()).toBe(0)
  })
})

describe('deadlines and timeouts', () => {
  it('does not sleep a backoff that would reach the deadline: it stops at once', async () => {
    const { clock, events, policy } = setup({ deadlineMs: 1_000, strategy: () => 1_000 })
    const error = new TransientError()
    await expect(settle(clock, policy.call(script([error], 'ok').fn))).rejects.toBe(error)
    expect(clock.now()).toBe(0)
    expect(events.map((e) => e.event)).toEqual(['deadline_exceeded'])
    expect(events[0]?.sleepMs).toBe(1_000)
  })

  it("stops at once when the server's retryAfterMs exceeds the remaining deadline", async () => {
    const { clock, policy } = setup({ deadlineMs: 5_000 })
    const outcome = await settle(
      clock,
      policy.execute(script([new RateLimitError('slow down', { retryAfterMs: 10_000 })], 1).fn),
    )
    expect(outcome).toMatchObject({ ok: false, stopReason: 'DEADLINE_EXCEEDED', attempts: 1, nextSleepMs: 10_000 })
    expect(clock.now()).toBe(0)
  })

  it('gives up at once on a server delay above maxRetryAfterMs', async () => {
    const { clock, policy } = setup({ maxRetryAfterMs: 2_000 })
    const outcome = await settle(
      clock,
      policy.execute(script([new RateLimitError('x', { retryAfterMs: 3_000 })], 1).fn),
    )
    expect(outcome.stopReason).toBe('DEADLINE_EXCEEDED')
    expect(clock.now()).toBe(0)
  })

  it('enforces attemptTimeoutMs: aborts the attempt signal, fails it with a TimeoutError and retries', async () => {
    const { clock, events, policy } = setup({ attemptTimeoutMs: 200, strategy: () => 10 })
    const signals: AbortSignal[] = []
    const p = policy.call(({ attempt, signal }) => {
      signals.push(signal)
      if (attempt === 1) return new Promise<string>(() => {}) // hangs forever
      return Promise.resolve('second')
    })
    await expect(settle(clock, p)).resolves.toBe('second')
    expect(signals[0]?.aborted).toBe(true)
    expect(signals[0]!.reason).toMatchObject({ name: 'TimeoutError' })
    expect(signals[1]?.aborted).toBe(false)
    expect(events[0]).toMatchObject({ event: 'retry', tags: { class: 'TRANSIENT', err: 'TimeoutError' } })
    expect(clock.now()).toBe(210)
    expect(clock.pendingCount).toBe(0)
  })

  it('bounds the attempt in flight by the deadline and clips attemptTimeoutMs to it', async () => {
    const { clock, events, policy } = setup({ deadlineMs: 500, attemptTimeoutMs: 10_000 })
    let signal: AbortSignal | undefined
    const p = policy.execute((ctx) => {
      signal = ctx.signal
      return new Promise(() => {})
    })
    const outcome = await settle(clock, p)
    expect(clock.now()).toBe(500)
    expect(outcome).toMatchObject({ ok: false, stopReason: 'DEADLINE_EXCEEDED', attempts: 1, lastClass: 'TRANSIENT' })
    expect(signal?.aborted).toBe(true)
    expect(events.map((e) => e.event)).toEqual(['deadline_exceeded'])
  })

  it('never starts an attempt at or after the deadline', async () => {
    const { clock, policy } = setup({ deadlineMs: 1_000, strategy: () => 400 })
    const starts: number[] = []
    const p = policy.execute(async () => {
      starts.push(clock.now())
      await clock.sleep(150)
      throw new TransientError()
    })
    await settle(clock, p)
    expect(starts.every((t) => t < 1_000)).toBe(true)
    expect(starts).toEqual([0, 550])
  })
})

describe('aborts', () => {
  it("rejects with the caller signal's reason at once when it aborts during a sleep, and attempts nothing more", async () => {
    const { clock, events, policy } = setup({ strategy: () => 10_000 })
    const ctrl = new AbortController()
    const op = script([new TransientError(), new TransientError()], 'ok')
    const p = quiet(policy.call(op.fn, { signal: ctrl.signal }))
    await clock.advance(1)
    expect(clock.pendingCount).toBe(1)
    const reason = new Error('user went away')
    ctrl.abort(reason)
    await expect(p).rejects.toBe(reason)
    expect(op.calls()).toBe(1)
    expect(clock.now()).toBe(1)
    expect(clock.pendingCount).toBe(0)
    expect(events.map((e) => e.event)).toEqual(['retry', 'aborted'])
  })

  it('aborts the attempt in flight when the caller aborts', async () => {
    const { policy } = setup()
    const ctrl = new AbortController()
    let inner: AbortSignal | undefined
    const p = quiet(
      policy.call(
        (ctx) => {
          inner = ctx.signal
          return new Promise(() => {})
        },
        { signal: ctrl.signal },
      ),
    )
    ctrl.abort('stop')
    await expect(p).rejects.toBe('stop')
    expect(inner?.aborted).toBe(true)
  })

  it('does not start when the signal is already aborted', async () => {
    const { policy } = setup()
    let calls = 0
    await expect(policy.call(async () => calls++, { signal: AbortSignal.abort('early') })).rejects.toBe('early')
    expect(calls).toBe(0)
  })

  it('rejects with AbortRetryError when abortIf() returns true, with one aborted event and no retry', async () => {
    const { clock, events, policy } = setup({ strategy: () => 5 })
    let stop = false
    const p = policy.call(
      async () => {
        stop = true
        throw new TransientError()
      },
      { abortIf: () => stop },
    )
    await expect(settle(clock, p)).rejects.toBeInstanceOf(AbortRetryError)
    expect(events.map((e) => e.event)).toEqual(['aborted'])
    expect(events[0]?.tags['stop_reason']).toBe('ABORTED')
  })

  it('rejects with the same AbortRetryError that fn threw, without retrying', async () => {
    const { clock, policy } = setup()
    const err = new AbortRetryError('give up')
    const op = script([err], 1)
    await expect(settle(clock, policy.call(op.fn))).rejects.toBe(err)
    expect(op.calls()).toBe(1)
  })
})

describe('the sleep handler and results', () => {
  it("stops with SCHEDULED and a RetryExhaustedError carrying nextSleepMs when the handler answers 'defer'", async () => {
    const { clock, events, policy } = setup({ strategy: () => 1_234, sleep: () => 'defer' })
    const error = await settle(clock, policy.call(script([new ServerError()], 1).fn)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RetryExhaustedError)
    expect(error).toMatchObject({ stopReason: 'SCHEDULED', nextSleepMs: 1_234, attempts: 1, lastClass: 'SERVER_ERROR' })
    expect(events.map((e) => e.event)).toEqual(['scheduled'])
  })

  it("aborts when the handler answers 'abort'", async () => {
    const { clock, policy } = setup({ sleep: () => 'abort' })
    await expect(settle(clock, policy.call(script([new ServerError()], 1).fn))).rejects.toBeInstanceOf(AbortRetryError)
  })

  it('retries results the result classifier rejects and reports the last one', async () => {
    const { clock, events, policy } = setup({
      maxAttempts: 3,
      strategy: () => 1,
      resultClassifier: (v) => ((v as { status: number }).status >= 500 ? ErrorClass.SERVER_ERROR : undefined),
    })
    const results = [{ status: 503 }, { status: 503 }, { status: 500 }]
    let i = 0
    const error = await settle(
      clock,
      policy.call(async () => results[i++]),
    ).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RetryExhaustedError)
    expect(error).toMatchObject({ stopReason: 'MAX_ATTEMPTS_GLOBAL', lastResult: results[2], attempts: 3 })
    expect(events.map((e) => [e.event, e.tags['cause'], e.tags['status']])).toEqual([
      ['retry', 'result', 503],
      ['retry', 'result', 503],
      ['max_attempts_exceeded', 'result', 500],
    ])
  })
})

describe('hooks', () => {
  it('isolates every hook that throws: the result is unchanged', async () => {
    const boom = () => {
      throw new Error('hook failed')
    }
    const { clock, policy } = setup({
      strategy: () => 3,
      onMetric: boom,
      onLog: boom,
      onAttemptStart: boom,
      onAttemptEnd: boom,
      beforeSleep: boom,
      sleep: boom as never,
      classifier: boom as never,
      resultClassifier: boom,
    })
    const op = script([new Error('x')], 'fine')
    await expect(settle(clock, policy.call(op.fn))).resolves.toBe('fine')
    expect(op.calls()).toBe(2)
  })

  it('calls both the policy hooks and the per-call hooks', async () => {
    const seen: string[] = []
    const { clock, policy } = setup({ onMetric: (e) => seen.push(`policy:${e}`), strategy: () => 1 })
    await settle(
      clock,
      policy.call(script([new TransientError()], 1).fn, {
        onMetric: (e) => seen.push(`call:${e}`),
        tags: { host: 'a' },
      }),
    )
    expect(seen).toEqual(['policy:retry', 'call:retry', 'policy:success', 'call:success'])
  })

  it('passes attempt hooks and logs with fields', async () => {
    const logs: Array<[string, Record<string, unknown>]> = []
    const ends: unknown[] = []
    const { clock, policy } = setup({
      strategy: () => 7,
      onLog: (e, f) => logs.push([e, { ...f }]),
      onAttemptEnd: (c) => ends.push(c.ok),
    })
    await settle(clock, policy.call(script([new TransientError('flaky')], 1).fn, { operation: 'op' }))
    expect(ends).toEqual([false, true])
    expect(logs[0]).toEqual([
      'retry',
      expect.objectContaining({
        operation: 'op',
        class: 'TRANSIENT',
        attempt: 1,
        sleep_ms: 7,
        error: 'flaky',
        sleep_source: 'strategy',
      }),
    ])
  })
})

describe('execute', () => {
  it('never throws for a failed run and records a timeline', async () => {
    const { clock, policy } = setup({ strategy: () => 20, maxAttempts: 2 })
    const outcome = await settle(
      clock,
      policy.execute(script([{ status: 503 }, { status: 503 }], 1).fn, { captureTimeline: true }),
    )
    expect(outcome).toMatchObject({
      ok: false,
      stopReason: 'MAX_ATTEMPTS_GLOBAL',
      attempts: 2,
      lastClass: 'SERVER_ERROR',
      cause: 'error',
    })
    expect(outcome.timeline?.map((t) => [t.attempt, t.decision, t.sleepMs, t.status, t.stopReason])).toEqual([
      [1, 'retry', 20, 503, undefined],
      [2, 'stop', undefined, 503, 'MAX_ATTEMPTS_GLOBAL'],
    ])
  })
})

describe('context and retry', () => {
  it('binds an operation for a batch of calls', async () => {
    const { clock, events, policy } = setup()
    const doRetry = policy.context({ operation: 'batch' })
    const fetchUser = async (id: string) => `user:${id}`
    const p = Promise.all([doRetry(fetchUser, 'user-1'), doRetry(fetchUser, 'user-2')])
    await expect(settle(clock, p)).resolves.toEqual(['user:user-1', 'user:user-2'])
    expect(events.map((e) => e.tags['operation'])).toEqual(['batch', 'batch'])
  })
})

describe('validation', () => {
  const bad: Array<[RetryOptions, RegExp]> = [
    [{ maxAttempts: 0 }, /maxAttempts/],
    [{ maxAttempts: 1.5 }, /maxAttempts/],
    [{ maxAttempts: Number.NaN }, /maxAttempts/],
    [{ deadlineMs: -1 }, /deadlineMs/],
    [{ deadlineMs: Number.NaN }, /deadlineMs/],
    [{ attemptTimeoutMs: 0 }, /attemptTimeoutMs/],
    [{ maxUnknownAttempts: -2 }, /maxUnknownAttempts/],
    [{ perClassMaxAttempts: { SERVER_ERROR: 0 } }, /perClassMaxAttempts\.SERVER_ERROR/],
    [{ perClassMaxAttempts: { NOPE: 2 } as never }, /NOPE/],
    [{ strategies: { SERVER: () => 1 } as never }, /SERVER/],
    [{ strategy: (a: number, b: number) => a + b } as never, /strategy.*declares 2/],
    [{ strategy: 5 as never }, /strategy must be a function/],
    [{ classifier: 'x' as never }, /classifier/],
    [{ budget: {} as never }, /budget/],
    [{ maxRetryAfterMs: -1 }, /maxRetryAfterMs/],
    [{ deadline_s: 60 } as never, /RetryPolicy: unknown option "deadline_s"/],
  ]
  it.each(bad)('rejects %o naming the option', (options, message) => {
    expect(() => new RetryPolicy(options)).toThrow(message)
  })
})

describe('AttemptContext.onAbort', () => {
  it('tells the attempt it was abandoned, with the reason, without touching signal', async () => {
    const { clock, policy } = setup({ attemptTimeoutMs: 100, maxAttempts: 1 })
    const reasons: unknown[] = []
    let removedCalls = 0
    const p = policy.execute((ctx) => {
      ctx.onAbort((reason) => reasons.push(reason))
      const remove = ctx.onAbort(() => removedCalls++)
      remove()
      return new Promise(() => {})
    })
    await settle(clock, p)
    expect(reasons).toHaveLength(1)
    expect(reasons[0]).toMatchObject({ name: 'TimeoutError' })
    expect(removedCalls).toBe(0)
  })

  it('calls a listener added after the abort at once', async () => {
    const { policy } = setup({ maxAttempts: 1 })
    const ctrl = new AbortController()
    const seen: unknown[] = []
    const p = policy.call(
      (ctx) =>
        new Promise((_resolve, reject) => {
          ctrl.abort('gone')
          queueMicrotask(() => {
            ctx.onAbort((reason) => seen.push(reason))
            reject(new Error('after'))
          })
        }),
      { signal: ctrl.signal },
    )
    await expect(p).rejects.toBe('gone')
    await new Promise((resolve) => setImmediate(resolve))
    expect(seen).toEqual(['gone'])
  })
})
