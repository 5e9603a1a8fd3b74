/**
 * The success path costs nothing it does not need (DESIGN.md §8): these tests pin its shape —
 * what is constructed and scheduled per call — which cannot flake the way a timing can.
 */
import diagnosticsChannel from 'node:diagnostics_channel'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createHttpAdapter, type FirstAttemptCall } from '../src/adapter/index.ts'
import { HTTP_TOKEN_BUDGET_DEFAULTS, httpPolicy } from '../src/http/index.ts'
import {
  type AttemptContext,
  DIAGNOSTICS_CHANNELS,
  type DiagnosticsMessage,
  ErrorClass,
  type EventTags,
  type Operation,
  type RetryOutcome,
  RetryPolicy,
  TokenBudget,
} from '../src/index.ts'
import { DeadlineQueue } from '../src/policy/DeadlineQueue.ts'
import { FakeClock, instantRetries } from '../src/testing/index.ts'

/** Counts `new AbortController()`, `.signal` reads excluded: constructing the controller is what we count. */
function countControllers(): { readonly count: () => number; readonly restore: () => void } {
  const Original = globalThis.AbortController
  let n = 0
  globalThis.AbortController = class extends Original {
    constructor() {
      super()
      n++
    }
  }
  return { count: () => n, restore: () => (globalThis.AbortController = Original) }
}

/** Counts `setTimeout` calls made through the global (redress reads it at each use). */
function countTimers(): { readonly count: () => number; readonly restore: () => void } {
  const original = globalThis.setTimeout
  let n = 0
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    n++
    return original(...args)
  }) as typeof setTimeout
  return { count: () => n, restore: () => (globalThis.setTimeout = original) }
}

/** An operation that settles in a later macrotask, as I/O does. */
const later = <T>(value: T) => new Promise<T>((resolve) => setImmediate(() => resolve(value)))

const restorers: Array<() => void> = []
afterEach(() => {
  for (const restore of restorers.splice(0)) restore()
  vi.useRealTimers()
})

describe('the success path', () => {
  it('constructs no AbortController and schedules no timer for a call that settles at once', async () => {
    const policy = new RetryPolicy({ attemptTimeoutMs: 5_000 })
    const controllers = countControllers()
    const timers = countTimers()
    restorers.push(controllers.restore, timers.restore)
    for (let i = 0; i < 50; i++) expect(await policy.call(async () => i)).toBe(i)
    expect(controllers.count()).toBe(0)
    expect(timers.count()).toBe(0)
  })

  it('schedules one timer per policy, not one per call, for calls that wait on I/O', async () => {
    const run = async (calls: number): Promise<number> => {
      const policy = new RetryPolicy()
      const timers = countTimers()
      try {
        for (let i = 0; i < calls; i++) await policy.call(() => later(i))
        return timers.count()
      } finally {
        timers.restore()
      }
    }
    const twenty = await run(20)
    expect(twenty).toBe(1)
    expect(await run(40)).toBe(twenty)
  })

  it('constructs no AbortController for a call that waits on I/O without reading its signal', async () => {
    const policy = new RetryPolicy()
    const controllers = countControllers()
    restorers.push(controllers.restore)
    for (let i = 0; i < 20; i++) await policy.call(() => later(i))
    expect(controllers.count()).toBe(0)
    // reading the signal is what makes one
    await policy.call(({ signal }) => later(signal.aborted))
    expect(controllers.count()).toBe(1)
  })

  it('leaves no timer keeping the process alive once the calls are over', async () => {
    const policy = new RetryPolicy()
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length
    await Promise.all([1, 2, 3].map((i) => policy.call(() => later(i))))
    await later(undefined)
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before)
  })

  it('still cuts a first attempt that never settles at its attempt timeout, and aborts its signal', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] })
    let signal: AbortSignal | undefined
    const call = new RetryPolicy({ attemptTimeoutMs: 100, maxAttempts: 1 }).call((ctx) => {
      signal = ctx.signal
      return new Promise(() => {})
    })
    const settled = call.then(
      () => 'resolved',
      (error: unknown) => error,
    )
    await vi.advanceTimersByTimeAsync(99)
    expect(signal?.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    const error = await settled
    expect(error).toMatchObject({ name: 'TimeoutError', message: 'attempt timed out after 100 ms' })
    expect(signal?.reason).toBe(error)
  })

  it('still cuts a first attempt at the deadline, then stops with DEADLINE_EXCEEDED', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate', 'performance'] })
    const outcome = new RetryPolicy({ deadlineMs: 1_000 }).execute(() => new Promise(() => {}))
    await vi.advanceTimersByTimeAsync(1_000)
    expect(await outcome).toMatchObject({ ok: false, stopReason: 'DEADLINE_EXCEEDED', attempts: 1, elapsedMs: 1_000 })
  })

  it('credits a budget with a success exactly as the full run does, with or without a listener', async () => {
    const tokens = async (onMetric?: () => void): Promise<number> => {
      const budget = new TokenBudget({ maxTokens: 10, tokenRatio: 0.5 })
      for (let i = 0; i < 4; i++) budget.recordFailure(ErrorClass.SERVER_ERROR)
      await new RetryPolicy({ budget, ...(onMetric ? { onMetric } : {}) }).call(() => later('ok'))
      return budget.tokens
    }
    expect(await tokens()).toBe(6.5)
    expect(await tokens(() => {})).toBe(6.5)
  })

  it('credits the origin budget of an HTTP request with a success, with or without a listener', async () => {
    const request = {
      method: 'GET',
      url: 'http://127.0.0.1:9/ok',
      headers: undefined,
      oneShotBody: false,
      redress: undefined,
      signal: undefined,
    }
    const tokens = async (onMetric?: () => void): Promise<number | undefined> => {
      const policy = httpPolicy(onMetric ? { onMetric } : {})
      const budget = policy.budgetFor('http://127.0.0.1:9')
      for (let i = 0; i < 3; i++) budget?.recordFailure(ErrorClass.SERVER_ERROR)
      const adapter = createHttpAdapter({ policy }, 'test')
      await adapter.run(request, () => later({ status: 200 }), { release: () => {} })
      return policy.budgets()['http://127.0.0.1:9']
    }
    // three failures, then the success's credit (issue 16: the defaults come from HTTP_TOKEN_BUDGET_DEFAULTS)
    const credited = HTTP_TOKEN_BUDGET_DEFAULTS.maxTokens - 3 + HTTP_TOKEN_BUDGET_DEFAULTS.tokenRatio
    expect(await tokens()).toBeCloseTo(credited)
    expect(await tokens(() => {})).toBeCloseTo(credited)
  })
})

// Issue 12: a listener must not change what a successful call does. A `diagnostics_channel`
// subscriber is a listener that adds no hook, so the two runs below take different paths: the
// hook makes the call loud from its first attempt, the subscriber only to publish its events.
describe('the events and outcome of a successful call, with an onMetric hook or only a channel subscriber', () => {
  type Seen = [event: string, attempt: number, sleepMs: number, tags: EventTags]
  const reset = (): Error => Object.assign(new Error('reset'), { code: 'ECONNRESET' })

  /** Runs the operation `make()` returns under a FakeClock, recording the events through `onMetric`. */
  async function withHook(make: () => Operation<string>): Promise<[Seen[], RetryOutcome<string>]> {
    const seen: Seen[] = []
    const policy = new RetryPolicy({
      strategy: () => 0,
      clock: new FakeClock(),
      onMetric: (event, attempt, sleepMs, tags) => seen.push([event, attempt, sleepMs, tags]),
    })
    return [seen, await policy.execute(make(), { operation: 'op', tags: { method: 'GET' } })]
  }

  /** The same run, with no hook: the events are read from every `redress:<event>` channel. */
  async function withSubscriber(make: () => Operation<string>): Promise<[Seen[], RetryOutcome<string>]> {
    const seen: Seen[] = []
    const onMessage = (message: unknown): void => {
      const m = message as DiagnosticsMessage
      seen.push([m.event, m.attempt, m.sleepMs, m.tags])
    }
    const names = Object.values(DIAGNOSTICS_CHANNELS)
    for (const name of names) diagnosticsChannel.subscribe(name, onMessage)
    try {
      const policy = new RetryPolicy({ strategy: () => 0, clock: new FakeClock() })
      return [seen, await policy.execute(make(), { operation: 'op', tags: { method: 'GET' } })]
    } finally {
      for (const name of names) diagnosticsChannel.unsubscribe(name, onMessage)
    }
  }

  const tags = { operation: 'op', method: 'GET' }
  const cases: [string, () => Operation<string>, Seen[]][] = [
    ['a first-try success', () => async () => 'ok', [['success', 1, 0, expect.objectContaining(tags)]]],
    [
      'a call that fails once, then succeeds',
      () => async (ctx) => {
        if (ctx.attempt === 1) throw reset()
        return 'ok'
      },
      [
        ['retry', 1, 0, expect.objectContaining({ ...tags, class: 'TRANSIENT' })],
        ['success', 2, 0, expect.objectContaining(tags)],
      ],
    ],
  ]

  it.each(cases)('%s: the same events (names, attempts, tags) and the same outcome', async (_, make, expected) => {
    const [hooked, hookedOutcome] = await withHook(make)
    const [published, publishedOutcome] = await withSubscriber(make)
    expect(hooked).toEqual(expected)
    expect(published).toEqual(hooked)
    expect(publishedOutcome).toEqual(hookedOutcome)
    expect(publishedOutcome).toMatchObject({ ok: true, value: 'ok', attempts: expected.length })
  })
})

describe('a request run through a sink (HttpAdapter.start, what undici runs on)', () => {
  const request = {
    method: 'GET',
    url: '/ok',
    origin: 'http://127.0.0.1:9',
    headers: undefined,
    oneShotBody: false,
    redress: undefined,
    signal: undefined,
  }
  const hooks = { release: () => {} }
  type Events = Array<[string, unknown]>
  const sink = (events: Events, first: (call: FirstAttemptCall) => void, later?: () => Promise<unknown>) => ({
    first(call: FirstAttemptCall) {
      events.push(['first', call.attempt])
      first(call)
      return { abandon: (reason: unknown) => events.push(['abandon', reason]) }
    },
    attempt(ctx: AttemptContext) {
      events.push(['attempt', ctx.attempt])
      return later ? later() : Promise.reject(new Error('unexpected attempt'))
    },
    resolved: (value: unknown) => events.push(['resolved', value]),
    rejected: (error: unknown) => events.push(['rejected', error]),
  })

  it('ends a quiet run at once, with no promise, when the first attempt reports a success', () => {
    const timers = countTimers()
    restorers.push(timers.restore)
    const adapter = createHttpAdapter({}, 'test')
    const events: Events = []
    const ok = { status: 200 }
    adapter.start(
      adapter.prepare(request, hooks),
      sink(events, (call) => call.attemptSucceeded(ok)),
    )
    // Synchronously: nothing was awaited between the report and the end of the run.
    expect(events).toEqual([
      ['first', 1],
      ['resolved', ok],
    ])
    expect(timers.count()).toBe(0)
  })

  it('credits the origin budget exactly as a run with a listener does', async () => {
    const tokens = async (onMetric?: () => void): Promise<number | undefined> => {
      const policy = httpPolicy(onMetric ? { onMetric } : {})
      const budget = policy.budgetFor('http://127.0.0.1:9')
      for (let i = 0; i < 3; i++) budget?.recordFailure(ErrorClass.SERVER_ERROR)
      const adapter = createHttpAdapter({ policy }, 'test')
      const events: Events = []
      // With a listener the run is not quiet: every attempt goes through `attempt`.
      adapter.start(
        adapter.prepare(request, hooks),
        sink(
          events,
          (call) => call.attemptSucceeded({ status: 200 }),
          () => later({ status: 200 }),
        ),
      )
      for (let i = 0; i < 5 && events.at(-1)?.[0] !== 'resolved'; i++) await later(undefined)
      expect(events.at(-1)).toEqual(['resolved', { status: 200 }])
      return policy.budgets()['http://127.0.0.1:9']
    }
    const credited = HTTP_TOKEN_BUDGET_DEFAULTS.maxTokens - 3 + HTTP_TOKEN_BUDGET_DEFAULTS.tokenRatio
    expect(await tokens()).toBeCloseTo(credited)
    expect(await tokens(() => {})).toBeCloseTo(credited)
  })

  it('retries a first attempt that failed through sink.attempt, a microtask later, and ends through the sink', async () => {
    const adapter = createHttpAdapter({ policy: httpPolicy({ strategy: instantRetries }) }, 'test')
    const events: Events = []
    const reset = Object.assign(new Error('reset'), { code: 'ECONNRESET' })
    adapter.start(
      adapter.prepare(request, hooks),
      sink(
        events,
        (call) => call.attemptFailed(reset),
        () => Promise.resolve({ status: 200 }),
      ),
    )
    // A failure is handled as a promise reaction would be: not inside the attempt's report.
    expect(events).toEqual([['first', 1]])
    for (let i = 0; i < 5 && events.at(-1)?.[0] !== 'resolved'; i++) await later(undefined)
    expect(events).toEqual([
      ['first', 1],
      ['attempt', 2],
      ['resolved', { status: 200 }],
    ])
  })

  it("abandons the sink's first attempt when the run is aborted, and rejects with the reason", async () => {
    const adapter = createHttpAdapter({}, 'test')
    const events: Events = []
    const run = adapter.prepare(request, hooks)
    adapter.start(
      run,
      sink(events, () => {}),
    )
    run.abort('stop')
    for (let i = 0; i < 5 && events.at(-1)?.[0] !== 'rejected'; i++) await later(undefined)
    expect(events).toEqual([
      ['first', 1],
      ['abandon', 'stop'],
      ['rejected', 'stop'],
    ])
  })
})

describe('DeadlineQueue', () => {
  const entry = () => ({
    expiresAtMs: undefined as number | undefined,
    pending: true,
    expired: 0,
    expire(): void {
      this.pending = false
      this.expired++
    },
  })

  it('expires pending entries in order with one timer, skipping the ones that settled', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] })
    const timers = countTimers()
    restorers.push(timers.restore)
    const queue = new DeadlineQueue(100)
    const [a, b, c] = [entry(), entry(), entry()]
    queue.add(a, performance.now())
    await vi.advanceTimersByTimeAsync(10)
    queue.add(b, performance.now())
    await vi.advanceTimersByTimeAsync(10)
    queue.add(c, performance.now())
    b.pending = false
    queue.settled()
    expect(queue.pending).toBe(2)
    await vi.advanceTimersByTimeAsync(80)
    expect([a.expired, b.expired, c.expired]).toEqual([1, 0, 0])
    await vi.advanceTimersByTimeAsync(20)
    expect([a.expired, b.expired, c.expired]).toEqual([1, 0, 1])
    expect(queue.pending).toBe(0)
    // one timer for the first entry, one re-armed for the last pending one
    expect(timers.count()).toBe(2)
  })

  it('does not let a slow entry at the head pin the memory of thousands settled behind it', () => {
    const queue = new DeadlineQueue(60_000)
    const slow = entry()
    queue.add(slow, performance.now())
    for (let i = 0; i < 10_000; i++) {
      const e = entry()
      queue.add(e, performance.now())
      e.pending = false
      queue.settled()
    }
    expect(queue.pending).toBe(1)
    expect(queue.size).toBeLessThan(200)
    slow.pending = false
    queue.settled()
  })
})

describe('deadlines under fake timers', () => {
  it('cut an attempt when fake timers move setTimeout but not performance.now', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setImmediate'] })
    const outcome = new RetryPolicy({ attemptTimeoutMs: 500, maxAttempts: 1 }).execute(() => new Promise(() => {}))
    await vi.advanceTimersByTimeAsync(500)
    expect(await outcome).toMatchObject({ ok: false, stopReason: 'MAX_ATTEMPTS_GLOBAL', lastClass: 'TRANSIENT' })
  })
})
