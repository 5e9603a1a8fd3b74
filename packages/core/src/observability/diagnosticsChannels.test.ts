import diagnosticsChannel from 'node:diagnostics_channel'
import { afterEach, describe, expect, it } from 'vitest'
import { CircuitBreaker } from '../breaker/CircuitBreaker.ts'
import { Budget } from '../budget/Budget.ts'
import { EventName } from '../events/EventName.ts'
import type { CallOptions, EventTags, RetryOptions } from '../policy/RetryOptions.ts'
import { RetryPolicy } from '../policy/RetryPolicy.ts'
import { FakeClock } from '../testing/FakeClock.ts'
import { DIAGNOSTICS_CHANNELS, type DiagnosticsMessage } from './diagnosticsChannels.ts'
import { activeDiagnosticsChannel, loadDiagnosticsModule } from './diagnosticsPublisher.ts'

type Seen = [event: string, attempt: number, sleepMs: number, tags: EventTags]

const unsubscribers: (() => void)[] = []
afterEach(() => {
  for (const u of unsubscribers.splice(0)) u()
})

function subscribeAll(into: DiagnosticsMessage[]): void {
  for (const name of Object.values(DIAGNOSTICS_CHANNELS)) {
    const onMessage = (message: unknown): void => {
      into.push(message as DiagnosticsMessage)
    }
    diagnosticsChannel.subscribe(name, onMessage)
    unsubscribers.push(() => diagnosticsChannel.unsubscribe(name, onMessage))
  }
}

function httpError(status: number): Error {
  return Object.assign(new Error(`HTTP ${status}`), { status })
}

/** Runs `fn` under a policy on a FakeClock, recording onMetric, onLog and every channel. */
async function script(
  options: RetryOptions,
  fn: (attempt: number) => unknown,
  call: CallOptions = {},
  clock: FakeClock = new FakeClock(),
): Promise<{ metric: Seen[]; logs: Readonly<Record<string, unknown>>[]; published: DiagnosticsMessage[] }> {
  const metric: Seen[] = []
  const logs: Readonly<Record<string, unknown>>[] = []
  const published: DiagnosticsMessage[] = []
  subscribeAll(published)
  const policy = new RetryPolicy({
    strategy: () => 10,
    clock,
    random: () => 0.5,
    ...options,
    onMetric: (event, attempt, sleepMs, tags) => metric.push([event, attempt, sleepMs, tags]),
    onLog: (_event, fields) => logs.push(fields),
  })
  const run = policy.execute(async ({ attempt }) => fn(attempt), { operation: 'op', ...call })
  await clock.runAll()
  await run
  for (const u of unsubscribers.splice(0)) u()
  return { metric, logs, published }
}

function expectSameSequence(r: Awaited<ReturnType<typeof script>>): void {
  expect(r.published.map((m) => [m.event, m.attempt, m.sleepMs, m.tags])).toEqual(r.metric)
  expect(r.published.map((m) => m.fields)).toEqual(r.logs)
}

const eventsSeen = new Set<string>()

describe('diagnostics channels', () => {
  it('names one stable channel per event, redress:<event>', () => {
    expect(Object.keys(DIAGNOSTICS_CHANNELS).sort()).toEqual(Object.values(EventName).sort())
    for (const [event, name] of Object.entries(DIAGNOSTICS_CHANNELS)) expect(name).toBe(`redress:${event}`)
    expect(Object.isFrozen(DIAGNOSTICS_CHANNELS)).toBe(true)
  })

  const scenarios: [string, () => ReturnType<typeof script>][] = [
    [
      'retry, retry, success (503 → 503 → 200)',
      () => script({}, (a) => (a < 3 ? Promise.reject(httpError(503)) : { status: 200 }), { tags: { method: 'GET' } }),
    ],
    ['permanent_fail (404)', () => script({}, () => Promise.reject(httpError(404)))],
    [
      'deadline_exceeded',
      () => script({ deadlineMs: 100, strategy: () => 1_000 }, () => Promise.reject(httpError(503))),
    ],
    ['max_attempts_exceeded', () => script({ maxAttempts: 2 }, () => Promise.reject(httpError(503)))],
    [
      'max_unknown_attempts_exceeded',
      () => script({ maxUnknownAttempts: 1 }, () => Promise.reject(new Error('mystery'))),
    ],
    [
      'no_strategy_configured',
      () => script({ strategy: undefined, strategies: { RATE_LIMIT: () => 10 } }, () => Promise.reject(httpError(503))),
    ],
    [
      'budget_exhausted',
      () => {
        const clock = new FakeClock()
        return script(
          { budget: new Budget({ maxRetries: 0, windowMs: 1_000, clock }) },
          () => Promise.reject(httpError(503)),
          {},
          clock,
        )
      },
    ],
    ['scheduled', () => script({ sleep: () => 'defer' }, () => Promise.reject(httpError(503)))],
    [
      'throttled',
      () =>
        script(
          { throttle: { admit: () => false, recordSuccess: () => {}, recordFailure: () => {} } },
          () => 'unreached',
        ),
    ],
    [
      'hedge, success (the hedge wins; the first attempt never settles)',
      () => script({ hedge: { afterMs: 10 } }, (a) => (a === 1 ? new Promise(() => {}) : { status: 200 })),
    ],
    [
      'aborted during the backoff sleep',
      () => {
        const controller = new AbortController()
        return script({}, () => Promise.reject(httpError(503)), {
          signal: controller.signal,
          beforeSleep: () => controller.abort(new Error('caller gave up')),
        })
      },
    ],
  ]

  for (const [name, run] of scenarios) {
    it(`shows a subscriber exactly what onMetric and onLog see: ${name}`, async () => {
      const r = await run()
      expect(r.metric.length).toBeGreaterThan(0)
      expectSameSequence(r)
      for (const [event] of r.metric) eventsSeen.add(event)
    })
  }

  it('publishes circuit opened, rejected, half-open and closed in hook order', async () => {
    const clock = new FakeClock()
    const circuitBreaker = new CircuitBreaker({ failureThreshold: 1, recoveryTimeoutMs: 50, clock })
    const options: RetryOptions = { circuitBreaker, maxAttempts: 1 }
    const opened = await script(options, () => Promise.reject(httpError(503)), {}, clock)
    const rejected = await script(options, () => 'unreached', {}, clock)
    await clock.advance(50)
    const closed = await script(options, () => 'ok', {}, clock)
    for (const r of [opened, rejected, closed]) {
      expectSameSequence(r)
      for (const [event] of r.metric) eventsSeen.add(event)
    }
    expect(opened.metric.map((m) => m[0])).toEqual(['max_attempts_exceeded', 'circuit_opened'])
    expect(rejected.metric.map((m) => m[0])).toEqual(['circuit_rejected'])
    expect(closed.metric.map((m) => m[0])).toEqual(['circuit_half_open', 'success', 'circuit_closed'])
  })

  it('covered every event kind across the scripted runs', () => {
    expect([...eventsSeen].sort()).toEqual(Object.values(EventName).sort())
  })

  it('publishes to subscribers of a policy that has no hooks at all', async () => {
    const published: DiagnosticsMessage[] = []
    subscribeAll(published)
    const clock = new FakeClock()
    const policy = new RetryPolicy({ strategy: () => 10, clock })
    let n = 0
    const run = policy.call(async () => (++n < 2 ? Promise.reject(httpError(503)) : 'ok'), { operation: 'bare' })
    await clock.runAll()
    await expect(run).resolves.toBe('ok')
    expect(published.map((m) => [m.event, m.attempt, m.sleepMs, m.tags])).toEqual([
      ['retry', 1, 10, { operation: 'bare', class: 'SERVER_ERROR', err: 'Error', cause: 'error', status: 503 }],
      ['success', 2, 0, { operation: 'bare' }],
    ])
  })

  it('hands subscribers frozen messages, so one subscriber cannot change what the next sees', async () => {
    const published: DiagnosticsMessage[] = []
    subscribeAll(published)
    await new RetryPolicy({}).call(async () => 'ok', { operation: 'frozen' })
    const [m] = published
    expect(m).toBeDefined()
    expect(Object.isFrozen(m) && Object.isFrozen(m?.tags) && Object.isFrozen(m?.fields)).toBe(true)
  })

  it('reports no active channel once nobody subscribes', () => {
    const onMessage = (): void => {}
    diagnosticsChannel.subscribe(DIAGNOSTICS_CHANNELS.retry, onMessage)
    expect(activeDiagnosticsChannel(EventName.RETRY)).toBeDefined()
    expect(activeDiagnosticsChannel(EventName.SUCCESS)).toBeUndefined()
    diagnosticsChannel.unsubscribe(DIAGNOSTICS_CHANNELS.retry, onMessage)
    expect(activeDiagnosticsChannel(EventName.RETRY)).toBeUndefined()
  })
})

describe('loadDiagnosticsModule', () => {
  it('finds node:diagnostics_channel through process.getBuiltinModule', () => {
    expect(loadDiagnosticsModule(globalThis.process)?.channel).toBe(diagnosticsChannel.channel)
  })

  it.each([
    ['no process (a browser)', undefined],
    ['a process without getBuiltinModule (Node < 20.16)', {}],
    [
      'a getBuiltinModule that throws',
      {
        getBuiltinModule: () => {
          throw new Error('no')
        },
      },
    ],
    ['a getBuiltinModule that finds nothing', { getBuiltinModule: () => undefined }],
    ['a module without channel()', { getBuiltinModule: () => ({}) }],
  ])('falls back to no channel with %s', (_name, proc) => {
    expect(loadDiagnosticsModule(proc)).toBeUndefined()
  })
})
