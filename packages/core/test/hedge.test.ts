/**
 * Hedged attempts (issue 18), in virtual time: every wait goes through the FakeClock, so "the
 * hedge starts exactly at afterMs" is a statement about virtual milliseconds, not a timing margin.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { type AddressInfo, connect, createServer, type Socket } from 'node:net'
import {
  type AttemptContext,
  EventName,
  HEDGE_DEFAULTS,
  PermanentError,
  type RetryOptions,
  RetryPolicy,
  ServerError,
  StopReason,
  TokenBudget,
  TransientError,
} from '@redress/core'
import { FakeCircuitBreaker, FakeClock } from '@redress/core/testing'
import { describe, expect, it } from 'vitest'
import { drain, quiet } from './support/drain.ts'

/** An operation whose attempts are settled by the test: each attempt's start, signal and settlers. */
function scripted<T = string>(clock: FakeClock) {
  const attempts: Array<{
    readonly n: number
    readonly startMs: number
    readonly signal: AbortSignal
    resolve(value: T): void
    reject(error: unknown): void
  }> = []
  const fn = (ctx: AttemptContext): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      const signal = ctx.signal
      signal.addEventListener('abort', () => reject(signal.reason), { once: true })
      attempts.push({ n: ctx.attempt, startMs: clock.now(), signal, resolve, reject })
    })
  const at = (i: number) => {
    const a = attempts[i]
    if (a === undefined) throw new Error(`attempt ${i + 1} has not started`)
    return a
  }
  return { fn, attempts, at }
}

function policy(clock: FakeClock, options: RetryOptions = {}): RetryPolicy {
  return new RetryPolicy({ clock, strategy: () => 10, ...options })
}

describe('hedging with afterMs', () => {
  it('starts the hedge exactly afterMs after the first attempt, and the first accepted result wins', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const run = quiet(policy(clock, { hedge: { afterMs: 50 } }).execute(op.fn, { captureTimeline: true }))
    await clock.advance(49)
    expect(op.attempts).toHaveLength(1)
    await clock.advance(1)
    expect(op.attempts.map((a) => [a.n, a.startMs])).toEqual([
      [1, 0],
      [2, 50],
    ])
    await clock.advance(5)
    op.at(1).resolve('from the hedge')
    const outcome = await run
    expect(outcome).toMatchObject({ ok: true, value: 'from the hedge', attempts: 2, winningAttempt: 2, hedges: 1 })
    // The loser was aborted at once, through its own signal.
    expect(op.at(0).signal.aborted).toBe(true)
    expect((op.at(0).signal.reason as Error).name).toBe('AbortError')
    expect(op.at(1).signal.aborted).toBe(false)
    expect(outcome.timeline?.map((t) => [t.attempt, t.decision, t.startMs, t.durationMs, t.hedge])).toEqual([
      [2, 'success', 50, 5, true],
      [1, 'cancelled', 0, 55, undefined],
    ])
    expect(clock.pendingCount).toBe(0)
  })

  it('sends no hedge when the first attempt settles before afterMs', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const run = quiet(policy(clock, { hedge: { afterMs: 50 } }).execute(op.fn))
    await clock.advance(49)
    op.at(0).resolve('fast')
    expect(await run).toMatchObject({ ok: true, attempts: 1, winningAttempt: 1, hedges: undefined })
    await clock.runAll()
    expect(op.attempts).toHaveLength(1)
    expect(clock.pendingCount).toBe(0)
  })

  it('starts each further hedge afterMs after the previous one, up to maxHedges', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const events: Array<[string, number]> = []
    const run = quiet(
      policy(clock, {
        hedge: { afterMs: 20, maxHedges: 2 },
        onMetric: (event, attempt) => events.push([event, attempt]),
      }).call(op.fn),
    )
    await clock.advance(100)
    expect(op.attempts.map((a) => a.startMs)).toEqual([0, 20, 40])
    op.at(0).resolve('first')
    expect(await run).toBe('first')
    expect(events).toEqual([
      [EventName.HEDGE, 2],
      [EventName.HEDGE, 3],
      [EventName.SUCCESS, 3],
    ])
    expect(op.at(1).signal.aborted && op.at(2).signal.aborted).toBe(true)
  })

  it('emits one hedge event per hedge, with the tags of the other events and the new attempt', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const logs: Array<[string, Readonly<Record<string, unknown>>]> = []
    const channel: Array<{ event: string; attempt: number }> = []
    const listener = (message: unknown): void => {
      channel.push(message as { event: string; attempt: number })
    }
    subscribe('redress:hedge', listener)
    try {
      const run = quiet(
        policy(clock, { hedge: { afterMs: 30 }, tags: { team: 'a' }, onLog: (e, f) => logs.push([e, f]) }).call(op.fn, {
          operation: 'getUser',
        }),
      )
      await clock.advance(30)
      op.at(1).resolve('ok')
      await run
    } finally {
      unsubscribe('redress:hedge', listener)
    }
    const hedges = logs.filter(([e]) => e === EventName.HEDGE)
    expect(hedges).toHaveLength(1)
    expect(hedges[0]?.[1]).toMatchObject({ operation: 'getUser', team: 'a', attempt: 2, after_ms: 30, in_flight: 1 })
    expect(logs.find(([e]) => e === EventName.SUCCESS)?.[1]).toMatchObject({ attempt: 2, winning_attempt: 2 })
    expect(channel.map((m) => [m.event, m.attempt])).toEqual([['hedge', 2]])
  })
})

describe('a failure while another attempt is in flight', () => {
  it('does not end the run: the attempt still in flight may win', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const run = quiet(policy(clock, { hedge: { afterMs: 10 } }).execute(op.fn, { captureTimeline: true }))
    await clock.advance(10)
    op.at(1).reject(new ServerError('hedge failed'))
    await clock.advance(10)
    op.at(0).resolve('slow but fine')
    const outcome = await run
    expect(outcome).toMatchObject({ ok: true, value: 'slow but fine', attempts: 2, winningAttempt: 1 })
    expect(outcome.timeline?.map((t) => [t.attempt, t.decision, t.errorClass])).toEqual([
      [2, 'wait', 'SERVER_ERROR'],
      [1, 'success', undefined],
    ])
  })

  it('waits even for a non-retryable failure, and applies the retry rules once none is in flight', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const events: string[] = []
    const run = quiet(
      policy(clock, { hedge: { afterMs: 10 }, maxAttempts: 4, onMetric: (e) => events.push(e) }).execute(op.fn),
    )
    await clock.advance(10)
    op.at(0).reject(new PermanentError('first says 404'))
    await clock.advance(1)
    expect(events).toEqual([EventName.HEDGE])
    op.at(1).reject(new TransientError('hedge reset'))
    // The last failure decides: TRANSIENT is retried after the strategy's 10 ms.
    await clock.advance(10)
    expect(op.attempts.map((a) => [a.n, a.startMs])).toEqual([
      [1, 0],
      [2, 10],
      [3, 21],
    ])
    op.at(2).resolve('third')
    expect(await run).toMatchObject({ ok: true, attempts: 3, winningAttempt: 3, hedges: 1 })
    expect(events).toEqual([EventName.HEDGE, EventName.RETRY, EventName.SUCCESS])
  })

  it('counts hedges toward maxAttempts', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const run = quiet(policy(clock, { hedge: { afterMs: 10, maxHedges: 5 }, maxAttempts: 2 }).execute(op.fn))
    await clock.advance(100)
    expect(op.attempts).toHaveLength(2)
    op.at(0).reject(new TransientError('a'))
    op.at(1).reject(new TransientError('b'))
    const outcome = await run
    expect(outcome).toMatchObject({ ok: false, stopReason: StopReason.MAX_ATTEMPTS_GLOBAL, attempts: 2, hedges: 1 })
    expect((outcome.lastError as Error).message).toBe('b')
  })
})

describe('the limits every hedge obeys', () => {
  it('sends no hedge while the budget refuses', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    let asked = 0
    const budget = {
      tryAcquire: () => {
        asked++
        return false
      },
      recordSuccess: () => {},
      recordFailure: () => {},
    }
    const run = quiet(policy(clock, { hedge: { afterMs: 10 }, budget }).call(op.fn))
    await clock.advance(1_000)
    expect(op.attempts).toHaveLength(1)
    expect(asked).toBe(1)
    op.at(0).resolve('alone')
    expect(await run).toBe('alone')
  })

  it('takes a budget token for each hedge', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    let granted = 0
    const budget = {
      tryAcquire: () => {
        granted++
        return true
      },
      recordSuccess: () => {},
      recordFailure: () => {},
    }
    const run = quiet(policy(clock, { hedge: { afterMs: 10, maxHedges: 3 }, budget }).call(op.fn))
    await clock.advance(30)
    op.at(3).resolve('4th')
    await run
    expect(granted).toBe(3)
  })

  it.each(['open', 'half_open'] as const)('sends no hedge while the breaker is %s', async (state) => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const breaker = new FakeCircuitBreaker({ state: state === 'open' ? 'closed' : state })
    const run = quiet(policy(clock, { hedge: { afterMs: 10 }, circuitBreaker: breaker }).call(op.fn))
    // Admitted while closed (or as the half-open probe); the breaker then opens under it.
    if (state === 'open') breaker.open()
    await clock.advance(100)
    expect(op.attempts).toHaveLength(1)
    op.at(0).resolve('alone')
    expect(await run).toBe('alone')
  })

  it('lets the deadline bound every attempt in flight', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const run = quiet(policy(clock, { hedge: { afterMs: 40 }, deadlineMs: 100 }).execute(op.fn))
    await clock.advance(100)
    const outcome = await run
    expect(outcome).toMatchObject({ ok: false, stopReason: StopReason.DEADLINE_EXCEEDED, attempts: 2 })
    expect(outcome.elapsedMs).toBe(100)
    expect(op.attempts.every((a) => a.signal.aborted)).toBe(true)
    expect(clock.pendingCount).toBe(0)
  })

  it('sends no hedge at or after the deadline', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const run = quiet(policy(clock, { hedge: { afterMs: 100 }, deadlineMs: 100 }).execute(op.fn))
    await clock.runAll()
    expect(await run).toMatchObject({ stopReason: StopReason.DEADLINE_EXCEEDED, attempts: 1 })
  })

  it("stops every attempt when the caller aborts, rejecting with the caller's reason", async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const caller = new AbortController()
    const run = quiet(policy(clock, { hedge: { afterMs: 10 } }).call(op.fn, { signal: caller.signal }))
    await clock.advance(15)
    const reason = new Error('user went away')
    caller.abort(reason)
    await expect(run).rejects.toBe(reason)
    expect(op.attempts.map((a) => a.signal.reason)).toEqual([reason, reason])
    await clock.runAll()
    expect(op.attempts).toHaveLength(2)
    expect(clock.pendingCount).toBe(0)
  })

  it('checks abortIf before each hedge', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    let stop = false
    const run = quiet(policy(clock, { hedge: { afterMs: 10 }, abortIf: () => stop }).execute(op.fn))
    stop = true
    await clock.advance(10)
    const outcome = await run
    expect(outcome).toMatchObject({ ok: false, stopReason: StopReason.ABORTED, attempts: 1 })
    expect(op.at(0).signal.aborted).toBe(true)
  })

  it('times out each attempt on its own: a timed-out attempt waits for the other', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const run = quiet(policy(clock, { hedge: { afterMs: 30 }, attemptTimeoutMs: 50 }).execute(op.fn))
    await clock.advance(50)
    expect(op.at(0).signal.aborted).toBe(true)
    op.at(1).resolve('hedge')
    expect(await run).toMatchObject({ ok: true, winningAttempt: 2, lastClass: 'TRANSIENT' })
  })
})

describe('turning hedging on and off', () => {
  it('is off unless configured', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const run = quiet(policy(clock).call(op.fn))
    await clock.advance(10_000)
    expect(op.attempts).toHaveLength(1)
    op.at(0).resolve('x')
    await run
  })

  it('can be turned on per call, and off per call with false or null', async () => {
    const clock = new FakeClock()
    const on = scripted(clock)
    const run = quiet(policy(clock).call(on.fn, { hedge: { afterMs: 5 } }))
    await clock.advance(5)
    expect(on.attempts).toHaveLength(2)
    on.at(1).resolve('x')
    await run
    for (const off of [false, null] as const) {
      const op = scripted(clock)
      const offRun = quiet(policy(clock, { hedge: { afterMs: 5 } }).call(op.fn, { hedge: off }))
      await clock.advance(100)
      expect(op.attempts).toHaveLength(1)
      op.at(0).resolve('x')
      await offRun
    }
  })

  it('merges a call hedge over the policy: fields given replace the policy’s', async () => {
    const clock = new FakeClock()
    const op = scripted(clock)
    const run = quiet(policy(clock, { hedge: { afterMs: 5, maxHedges: 3 } }).call(op.fn, { hedge: { afterMs: 7 } }))
    await clock.advance(21)
    expect(op.attempts.map((a) => a.startMs)).toEqual([0, 7, 14, 21])
    op.at(0).resolve('x')
    await run
  })

  it('rejects a malformed hedge option at construction, naming the field', () => {
    expect(() => new RetryPolicy({ hedge: { afterMs: -1 } })).toThrow(/hedge\.afterMs/)
    expect(() => new RetryPolicy({ hedge: { quantile: 1 } })).toThrow(/hedge\.quantile/)
    expect(() => new RetryPolicy({ hedge: { quantile: 0 } })).toThrow(RangeError)
    expect(() => new RetryPolicy({ hedge: { maxHedges: 1.5 } })).toThrow(/hedge\.maxHedges/)
    expect(() => new RetryPolicy({ hedge: 'yes' as never })).toThrow(TypeError)
    expect(() => new RetryPolicy({ hedge: { after: 5 } as never })).toThrow(/unknown option "after"/)
  })

  it('rejects a malformed per-call hedge with the call', async () => {
    await expect(new RetryPolicy().call(async () => 1, { hedge: { maxHedges: 0 } })).rejects.toThrow(
      /call options: hedge\.maxHedges/,
    )
  })
})

describe('hedging after the latency quantile', () => {
  /** Runs `n` calls of the operation that each take `ms(i)` virtual ms. */
  async function warm(p: RetryPolicy, clock: FakeClock, n: number, ms: (i: number) => number): Promise<void> {
    for (let i = 0; i < n; i++) {
      const call = p.call(() => clock.sleep(ms(i)).then(() => i), { operation: 'op' })
      await drain(clock, call)
    }
  }

  it('waits startAfterMs before any sample, then twice the slowest sample while samples are few', async () => {
    const clock = new FakeClock()
    const p = policy(clock, { hedge: {} })
    const first = scripted(clock)
    const run = quiet(p.call(first.fn, { operation: 'op' }))
    await clock.advance(HEDGE_DEFAULTS.startAfterMs)
    expect(first.attempts.map((a) => a.startMs)).toEqual([0, HEDGE_DEFAULTS.startAfterMs])
    first.at(0).resolve('a')
    await run
    await warm(p, clock, 3, () => 7)
    const next = scripted(clock)
    const t0 = clock.now()
    const run2 = quiet(p.call(next.fn, { operation: 'op' }))
    await clock.advance(200)
    // Samples: 100 ms (the first call, won by its first attempt at 100 ms) and 7, 7, 7 ms.
    expect(next.attempts.map((a) => a.startMs - t0)).toEqual([0, 200])
    next.at(1).resolve('b')
    await run2
  })

  it.each([
    {
      // 20 calls of 119..100 ms, then 80 of 10 ms (none outlasts the delay of its time, so none
      // hedges and spends the history's hedges): the 0.9 quantile is the ⌈0.9 × 101⌉ = 91st
      // smallest, 110 ms, above twice the median (10 ms).
      what: 'after the running quantile of the operation’s recent latency',
      hedge: { quantile: 0.9 },
      latency: (i: number) => (i < 20 ? 119 - i : 10),
      delayMs: 110,
    },
    {
      // 100 calls of 12..3 ms, ten of each (fastest last): the 0.95 quantile is 12 ms, under
      // twice the median (8 ms): the hedge waits 16 ms.
      what: 'no sooner than twice the median latency when the quantile is closer to it',
      hedge: {},
      latency: (i: number) => 12 - Math.floor(i / 10),
      delayMs: 16,
    },
  ])('hedges $what', async ({ hedge, latency, delayMs }) => {
    const clock = new FakeClock()
    const p = policy(clock, { hedge })
    await warm(p, clock, 100, latency)
    const op = scripted(clock)
    const t0 = clock.now()
    const run = quiet(p.call(op.fn, { operation: 'op' }))
    await clock.advance(delayMs - 1)
    expect(op.attempts).toHaveLength(1)
    await clock.advance(1)
    expect(op.attempts.map((a) => a.startMs - t0)).toEqual([0, delayMs])
    op.at(1).resolve('x')
    await run
  })

  it('caps the hedges of a history at 1 - quantile of its calls, plus burstHedges', async () => {
    const clock = new FakeClock()
    const p = policy(clock, { hedge: { quantile: 0.9 } })
    // A full window of 5 ms calls; then every first attempt outlasts the delay (a loaded machine),
    // and without the cap every call would hedge.
    await warm(p, clock, HEDGE_DEFAULTS.windowSamples, () => 5)
    const calls = 20
    let hedges = 0
    for (let i = 0; i < calls; i++) {
      const outcome = await drain(
        clock,
        p.execute(({ attempt }) => clock.sleep(attempt === 1 ? 50 : 1).then(() => attempt), { operation: 'op' }),
      )
      hedges += outcome.hedges ?? 0
    }
    // 0.1 of a hedge per call, and the 10 saved up: at most 12 of the 20 calls hedge.
    expect(hedges).toBeLessThanOrEqual(calls * 0.1 + HEDGE_DEFAULTS.burstHedges)
    expect(hedges).toBeGreaterThanOrEqual(HEDGE_DEFAULTS.burstHedges)
  })

  it('keeps one latency history per operation', async () => {
    const clock = new FakeClock()
    const p = policy(clock, { hedge: {} })
    await warm(p, clock, 40, () => 5)
    const other = scripted(clock)
    const run = quiet(p.call(other.fn, { operation: 'other' }))
    await clock.advance(HEDGE_DEFAULTS.startAfterMs)
    expect(other.attempts).toHaveLength(2)
    other.at(0).resolve('x')
    await run
  })
})

describe('the budget and breaker still see one outcome per call', () => {
  it('credits one success and records the hedge’s failure as a failed attempt', async () => {
    const clock = new FakeClock()
    const budget = new TokenBudget({ maxTokens: 10, tokenRatio: 1 })
    const op = scripted(clock)
    const run = quiet(policy(clock, { hedge: { afterMs: 10 }, budget }).call(op.fn))
    await clock.advance(10)
    op.at(1).reject(new TransientError())
    op.at(0).resolve('ok')
    await run
    // 10 - 1 (the hedge's failure) + 1 (the success)
    expect(budget.tokens).toBe(10)
  })
})

describe('hedging on real timers', () => {
  it('sends no hedge for a response that arrived before the hedge delay, however late the loop runs', async () => {
    // Node runs expired timers before it polls sockets. A reply written to the socket before the
    // hedge delay passed, on a loop then kept busy past that delay, must win without a hedge.
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve))
    const { port } = server.address() as AddressInfo
    const client = connect(port, '127.0.0.1')
    try {
      await new Promise<void>((resolve) => client.once('connect', resolve))
      const peer = await accepted
      const policy = new RetryPolicy({ hedge: { afterMs: 1 } })
      let attempts = 0
      const reply = policy.execute(() => {
        attempts++
        if (attempts > 1) return 'hedge'
        const read = new Promise<string>((resolve) => client.once('data', (data) => resolve(String(data))))
        // The reply is in the client's receive buffer now; then, once the hedge timer is armed,
        // the loop stays busy past the delay.
        peer.write('reply')
        queueMicrotask(() => {
          const until = performance.now() + 5
          while (performance.now() < until) {}
        })
        return read
      })
      const outcome = await reply
      expect(outcome).toMatchObject({ ok: true, value: 'reply', attempts: 1 })
      expect(attempts).toBe(1)
    } finally {
      client.destroy()
      server.close()
    }
  })
})
