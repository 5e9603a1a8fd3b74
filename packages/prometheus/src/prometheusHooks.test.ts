import { type AttemptContext, Budget, CircuitBreaker, EventName, RetryPolicy } from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { scriptedHttpRun } from '@redress/test-support'
import { Counter, Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { PROMETHEUS_HOOKS_DEFAULTS, prometheusHooks } from './prometheusHooks.ts'
import { PROMETHEUS_LABELS } from './prometheusLabels.ts'

interface Sample {
  readonly name: string
  readonly labels: Readonly<Record<string, string>>
  readonly value: number
}

/** Parses the Prometheus text exposition format (samples only; comments skipped). */
function parse(text: string): Sample[] {
  const samples: Sample[] = []
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line)
    if (m === null) throw new Error(`unparseable line: ${line}`)
    const labels: Record<string, string> = {}
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[l[1] as string] = (l[2] as string).replace(/\\(.)/g, '$1')
    }
    samples.push({ name: m[1] as string, labels, value: Number(m[3]) })
  }
  return samples
}

function value(samples: Sample[], name: string, where: Record<string, string>): number {
  return samples
    .filter((s) => s.name === name && Object.entries(where).every(([k, v]) => s.labels[k] === v))
    .reduce((n, s) => n + s.value, 0)
}

const base = { operation: 'GET api.test', method: 'GET', host: 'api.test' }

describe('prometheusHooks against a real prom-client Registry', () => {
  it('exposes 503 → 503 → 200, a permanent 404, a budget exhaustion and an abort', async () => {
    const registry = new Registry()
    const hooks = prometheusHooks({ registry })
    const clock = new FakeClock()
    await scriptedHttpRun(hooks, [503, 503, 200], {}, {}, clock)
    await scriptedHttpRun(hooks, [404], {}, {}, clock)
    await scriptedHttpRun(hooks, [503], { budget: new Budget({ maxRetries: 0, windowMs: 1_000, clock }) }, {}, clock)
    const controller = new AbortController()
    await scriptedHttpRun(hooks, [503], {}, { signal: controller.signal, beforeSleep: () => controller.abort() }, clock)

    const samples = parse(await registry.metrics())
    const events = samples.filter((s) => s.name === 'redress_events_total')
    expect(events.map((s) => [s.labels, s.value])).toEqual([
      [{ event: 'retry', class: 'SERVER_ERROR', stop_reason: '', status: '503', ...base }, 3],
      [{ event: 'success', class: '', stop_reason: '', status: '200', ...base }, 1],
      [{ event: 'permanent_fail', class: 'PERMANENT', stop_reason: 'NON_RETRYABLE_CLASS', status: '404', ...base }, 1],
      [
        { event: 'budget_exhausted', class: 'SERVER_ERROR', stop_reason: 'BUDGET_EXHAUSTED', status: '503', ...base },
        1,
      ],
      [{ event: 'aborted', class: 'SERVER_ERROR', stop_reason: 'ABORTED', status: '503', ...base }, 1],
    ])
    expect(value(samples, 'redress_retry_sleep_seconds_count', { event: 'retry' })).toBe(3)
    expect(value(samples, 'redress_retry_sleep_seconds_sum', { event: 'retry' })).toBeCloseTo(0.3)
    expect(value(samples, 'redress_retry_sleep_seconds_bucket', { event: 'retry', le: '0.05' })).toBe(0)
    expect(value(samples, 'redress_retry_sleep_seconds_bucket', { event: 'retry', le: '0.1' })).toBe(3)
    expect(value(samples, 'redress_run_attempts_sum', { event: 'success' })).toBe(3)
    expect(value(samples, 'redress_run_attempts_count', {})).toBe(4)
    expect(value(samples, 'redress_run_attempts_count', { stop_reason: 'ABORTED' })).toBe(1)
  })

  it('puts exactly the fixed label set on every sample of every event kind, circuit events included', async () => {
    const registry = new Registry()
    const hooks = prometheusHooks({ registry })
    const clock = new FakeClock()
    const circuitBreaker = new CircuitBreaker({ failureThreshold: 1, recoveryTimeoutMs: 50, clock })
    await scriptedHttpRun(hooks, [503], { circuitBreaker, maxAttempts: 1 }, {}, clock)
    await scriptedHttpRun(hooks, [200], { circuitBreaker }, {}, clock)
    await clock.advance(50)
    await scriptedHttpRun(hooks, [200], { circuitBreaker }, {}, clock)
    await scriptedHttpRun(hooks, [503], { sleep: () => 'defer' }, {}, clock)

    const samples = parse(await registry.metrics())
    const seen = new Set(samples.filter((s) => s.name === 'redress_events_total').map((s) => s.labels['event']))
    for (const e of ['max_attempts_exceeded', 'circuit_opened', 'circuit_rejected', 'circuit_half_open', 'success']) {
      expect(seen).toContain(e)
    }
    expect(seen).toContain(EventName.CIRCUIT_CLOSED)
    expect(seen).toContain(EventName.SCHEDULED)
    for (const s of samples) {
      const keys = Object.keys(s.labels).filter((k) => k !== 'le')
      expect(keys.sort()).toEqual([...PROMETHEUS_LABELS].sort())
    }
    expect(value(samples, 'redress_events_total', { event: 'circuit_opened', stop_reason: '' })).toBe(1)
  })

  it('counts a call the throttle refused as a throttled give-up with no attempt', async () => {
    const registry = new Registry()
    const hooks = prometheusHooks({ registry })
    const throttle = { admit: () => false, recordSuccess: () => {}, recordFailure: () => {} }
    await scriptedHttpRun(hooks, [200], { throttle })
    const samples = parse(await registry.metrics())
    expect(value(samples, 'redress_events_total', { event: EventName.THROTTLED, stop_reason: 'THROTTLED' })).toBe(1)
    expect(value(samples, 'redress_run_attempts_count', { stop_reason: 'THROTTLED' })).toBe(1)
    expect(value(samples, 'redress_run_attempts_sum', { stop_reason: 'THROTTLED' })).toBe(0)
  })

  it('counts each hedge as an event, not as the end of a run', async () => {
    const registry = new Registry()
    const { onMetric } = prometheusHooks({ registry })
    const clock = new FakeClock()
    const policy = new RetryPolicy({ clock, hedge: { afterMs: 10, maxHedges: 2 }, onMetric })
    // The first two attempts never settle (until aborted); the second hedge, 20 ms in, succeeds.
    const fn = (ctx: AttemptContext): Promise<string> =>
      ctx.attempt < 3
        ? new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)))
        : Promise.resolve('third')
    const call = policy.call(fn, { operation: 'getUser', tags: { method: 'GET', host: 'api.test' } })
    await clock.runAll()
    expect(await call).toBe('third')
    const samples = parse(await registry.metrics())
    const labels = { operation: 'getUser', method: 'GET', host: 'api.test', class: '', stop_reason: '', status: '' }
    expect(value(samples, 'redress_events_total', { event: EventName.HEDGE, ...labels })).toBe(2)
    expect(value(samples, 'redress_run_attempts_count', {})).toBe(1)
    expect(value(samples, 'redress_run_attempts_sum', { event: 'success' })).toBe(3)
  })

  it('registers idempotently: a second call with the same registry reuses the metrics', async () => {
    const registry = new Registry()
    const first = prometheusHooks({ registry })
    const second = prometheusHooks({ registry })
    first.onMetric('retry', 1, 250, { operation: 'a' })
    second.onMetric('retry', 1, 250, { operation: 'a' })
    const samples = parse(await registry.metrics())
    expect(value(samples, 'redress_events_total', { event: 'retry', operation: 'a' })).toBe(2)
    expect(registry.getMetricsAsArray()).toHaveLength(3)
  })

  it('keeps separate registries and prefixes apart', async () => {
    const a = new Registry()
    const b = new Registry()
    prometheusHooks({ registry: a }).onMetric('success', 1, 0, {})
    prometheusHooks({ registry: b, prefix: 'svc_' }).onMetric('success', 1, 0, {})
    expect(value(parse(await a.metrics()), 'redress_events_total', {})).toBe(1)
    expect(value(parse(await b.metrics()), 'svc_events_total', {})).toBe(1)
    expect(value(parse(await b.metrics()), 'redress_events_total', {})).toBe(0)
  })

  it('refuses a registry where another metric owns one of its names', () => {
    const registry = new Registry()
    new Counter({ name: 'redress_events_total', help: 'someone else', labelNames: ['x'], registers: [registry] })
    expect(() => prometheusHooks({ registry })).toThrow(/redress_events_total.*already registered/)
  })

  it('refuses to reuse a histogram registered with other buckets', () => {
    const registry = new Registry()
    prometheusHooks({ registry })
    expect(() => prometheusHooks({ registry, buckets: [1, 2] })).toThrow(TypeError)
  })

  it('uses the buckets it was given, in seconds', async () => {
    const registry = new Registry()
    prometheusHooks({ registry, buckets: [0.5, 2] }).onMetric('retry', 1, 1_000, {})
    const samples = parse(await registry.metrics())
    expect(
      samples.filter((s) => s.name === 'redress_retry_sleep_seconds_bucket').map((s) => [s.labels['le'], s.value]),
    ).toEqual([
      ['0.5', 0],
      ['2', 1],
      ['+Inf', 1],
    ])
  })

  it('documents the defaults it uses', async () => {
    const { readFile } = await import('node:fs/promises')
    const source = await readFile(new URL('./prometheusHooks.ts', import.meta.url), 'utf8')
    expect(source).toContain(`@default '${PROMETHEUS_HOOKS_DEFAULTS.prefix}'`)
    expect(source).toContain(`@default [${PROMETHEUS_HOOKS_DEFAULTS.buckets.join(', ')}]`)
    expect(source).toContain(`@default [${PROMETHEUS_HOOKS_DEFAULTS.attemptBuckets.join(', ')}]`)
  })

  it.each([
    [undefined, TypeError, /options/],
    [{}, TypeError, /registry/],
    [{ registry: {} }, TypeError, /registry/],
    [{ registry: new Registry(), prefix: 'bad-prefix' }, TypeError, /prefix.*bad-prefix/],
    [{ registry: new Registry(), buckets: [] }, TypeError, /buckets/],
    [{ registry: new Registry(), buckets: [2, 1] }, RangeError, /buckets.*\[2, 1\]/],
    [{ registry: new Registry(), attemptBuckets: [1, Number.POSITIVE_INFINITY] }, RangeError, /attemptBuckets/],
  ])('rejects %o at construction', (options, type, message) => {
    expect(() => prometheusHooks(options as never)).toThrow(type)
    expect(() => prometheusHooks(options as never)).toThrow(message)
  })
})
