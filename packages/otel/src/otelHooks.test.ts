import { SpanStatusCode } from '@opentelemetry/api'
import {
  type DataPoint,
  type Histogram,
  MeterProvider,
  MetricReader,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics'
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base'
import {
  ATTR_ERROR_TYPE,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_REQUEST_RESEND_COUNT,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_SERVER_ADDRESS,
} from '@opentelemetry/semantic-conventions'
import { type AttemptContext, Budget, CircuitBreaker, RetryPolicy } from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { scriptedHttpRun } from '@redress/test-support'
import { describe, expect, it } from 'vitest'
import { OTEL_ATTRIBUTES } from './otelAttributes.ts'
import { OTEL_HOOKS_DEFAULTS, type OtelHooksOptions, otelHooks } from './otelHooks.ts'
import { OTEL_METRICS } from './otelMetricNames.ts'

class ManualReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve()
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve()
  }
}

function setup(options: Omit<OtelHooksOptions, 'tracer' | 'meter'> = {}): {
  exporter: InMemorySpanExporter
  reader: ManualReader
  otel: ReturnType<typeof otelHooks>
} {
  const exporter = new InMemorySpanExporter()
  const tracer = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer('test')
  const reader = new ManualReader()
  const meter = new MeterProvider({ readers: [reader] }).getMeter('test')
  return { exporter, reader, otel: otelHooks({ ...options, tracer, meter }) }
}

async function collect(reader: ManualReader): Promise<ResourceMetrics> {
  const { resourceMetrics, errors } = await reader.collect()
  expect(errors).toEqual([])
  return resourceMetrics
}

function points(rm: ResourceMetrics, name: string): DataPoint<unknown>[] {
  const metric = rm.scopeMetrics.flatMap((s) => s.metrics).find((m) => m.descriptor.name === name)
  return (metric?.dataPoints ?? []) as DataPoint<unknown>[]
}

function sum(rm: ResourceMetrics, name: string, where: Record<string, unknown> = {}): number {
  return points(rm, name)
    .filter((p) => Object.entries(where).every(([k, v]) => p.attributes[k] === v))
    .reduce((n, p) => n + (p.value as number), 0)
}

describe('otelHooks spans', () => {
  it('records one span for 503 → 503 → 200 with resend count, retry events and no error status', async () => {
    const { exporter, otel } = setup()
    await scriptedHttpRun(otel.forCall(), [503, 503, 200])
    const [span, ...rest] = exporter.getFinishedSpans()
    expect(rest).toEqual([])
    expect(span?.name).toBe('redress GET api.test')
    expect(span?.status.code).toBe(SpanStatusCode.UNSET)
    expect(span?.attributes).toMatchObject({
      [OTEL_ATTRIBUTES.OPERATION]: 'GET api.test',
      [OTEL_ATTRIBUTES.ATTEMPTS]: 3,
      [ATTR_HTTP_REQUEST_RESEND_COUNT]: 2,
      [ATTR_HTTP_REQUEST_METHOD]: 'GET',
      [ATTR_SERVER_ADDRESS]: 'api.test',
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 200,
    })
    expect(span?.attributes[ATTR_ERROR_TYPE]).toBeUndefined()
    expect(span?.events.map((e) => e.name)).toEqual(['redress.retry', 'redress.retry', 'redress.success'])
    expect(span?.events[0]?.attributes).toMatchObject({
      [OTEL_ATTRIBUTES.CLASS]: 'SERVER_ERROR',
      [OTEL_ATTRIBUTES.SLEEP_MS]: 100,
      [ATTR_ERROR_TYPE]: '503',
      [ATTR_HTTP_RESPONSE_STATUS_CODE]: 503,
    })
  })

  it('ends the span with error status, class, stop reason and error.type on a permanent 404', async () => {
    const { exporter, otel } = setup()
    await scriptedHttpRun(otel.forCall(), [404])
    const [span] = exporter.getFinishedSpans()
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'NON_RETRYABLE_CLASS' })
    expect(span?.attributes).toMatchObject({
      [OTEL_ATTRIBUTES.CLASS]: 'PERMANENT',
      [OTEL_ATTRIBUTES.STOP_REASON]: 'NON_RETRYABLE_CLASS',
      [ATTR_ERROR_TYPE]: '404',
      [OTEL_ATTRIBUTES.ATTEMPTS]: 1,
    })
    expect(span?.attributes[ATTR_HTTP_REQUEST_RESEND_COUNT]).toBeUndefined()
  })

  it('ends the span on budget_exhausted (the event Python redress leaves open)', async () => {
    const { exporter, otel } = setup()
    const clock = new FakeClock()
    await scriptedHttpRun(
      otel.forCall(),
      [503],
      { budget: new Budget({ maxRetries: 0, windowMs: 1_000, clock }) },
      {},
      clock,
    )
    const [span] = exporter.getFinishedSpans()
    expect(span?.attributes[OTEL_ATTRIBUTES.STOP_REASON]).toBe('BUDGET_EXHAUSTED')
    expect(span?.events.map((e) => e.name)).toEqual(['redress.budget_exhausted'])
  })

  it('ends the span on an abort during the backoff sleep', async () => {
    const { exporter, otel } = setup()
    const controller = new AbortController()
    await scriptedHttpRun(
      otel.forCall(),
      [503],
      {},
      { signal: controller.signal, beforeSleep: () => controller.abort() },
    )
    const [span] = exporter.getFinishedSpans()
    expect(span?.status.code).toBe(SpanStatusCode.ERROR)
    expect(span?.attributes[OTEL_ATTRIBUTES.STOP_REASON]).toBe('ABORTED')
    expect(span?.events.map((e) => e.name)).toEqual(['redress.retry', 'redress.aborted'])
  })

  it('ends a deferred run without an error status', async () => {
    const { exporter, otel } = setup()
    await scriptedHttpRun(otel.forCall(), [503], { sleep: () => 'defer' })
    const [span] = exporter.getFinishedSpans()
    expect(span?.attributes[OTEL_ATTRIBUTES.STOP_REASON]).toBe('SCHEDULED')
    expect(span?.status.code).toBe(SpanStatusCode.UNSET)
  })

  it('opens and ends a span for a call the open breaker rejects before any attempt', async () => {
    const { exporter, otel } = setup()
    const clock = new FakeClock()
    const circuitBreaker = new CircuitBreaker({ failureThreshold: 1, clock })
    await scriptedHttpRun(otel.forCall(), [503], { circuitBreaker, maxAttempts: 1 }, {}, clock)
    await scriptedHttpRun(otel.forCall(), [200], { circuitBreaker }, {}, clock)
    const spans = exporter.getFinishedSpans()
    expect(spans).toHaveLength(2)
    expect(spans[0]?.events.map((e) => e.name)).toEqual(['redress.max_attempts_exceeded'])
    expect(spans[1]?.events.map((e) => e.name)).toEqual(['redress.circuit_rejected'])
    expect(spans[1]?.attributes).toMatchObject({
      [OTEL_ATTRIBUTES.STOP_REASON]: 'CIRCUIT_OPEN',
      [OTEL_ATTRIBUTES.ATTEMPTS]: 0,
      [ATTR_ERROR_TYPE]: 'CIRCUIT_OPEN',
    })
  })

  it('opens and ends a span with an error for a call the throttle refuses, and counts it as a give-up', async () => {
    const { exporter, reader, otel } = setup()
    const throttle = { admit: () => false, recordSuccess: () => {}, recordFailure: () => {} }
    await scriptedHttpRun(otel.forCall(), [200], { throttle })
    const [span] = exporter.getFinishedSpans()
    expect(span?.events.map((e) => e.name)).toEqual(['redress.throttled'])
    expect(span?.status.code).toBe(SpanStatusCode.ERROR)
    expect(span?.attributes).toMatchObject({
      [OTEL_ATTRIBUTES.STOP_REASON]: 'THROTTLED',
      [OTEL_ATTRIBUTES.ATTEMPTS]: 0,
      [ATTR_ERROR_TYPE]: 'THROTTLED',
    })
    const rm = await collect(reader)
    expect(sum(rm, OTEL_METRICS.GIVE_UPS, { [OTEL_ATTRIBUTES.STOP_REASON]: 'THROTTLED' })).toBe(1)
  })

  it('keeps concurrent runs of one operation on separate spans', async () => {
    const { exporter, otel } = setup()
    const clock = new FakeClock()
    await Promise.all([
      scriptedHttpRun(otel.forCall(), [503, 200], {}, {}, clock),
      scriptedHttpRun(otel.forCall(), [503, 503, 503, 404], {}, {}, clock),
    ])
    const spans = exporter.getFinishedSpans()
    expect(spans.map((s) => s.attributes[OTEL_ATTRIBUTES.ATTEMPTS]).sort()).toEqual([2, 4])
    const failed = spans.find((s) => s.attributes[OTEL_ATTRIBUTES.ATTEMPTS] === 4)
    expect(failed?.events.map((e) => e.name)).toEqual([
      'redress.retry',
      'redress.retry',
      'redress.retry',
      'redress.permanent_fail',
    ])
  })

  it('puts the error message on span events of thrown errors', async () => {
    const { exporter, otel } = setup()
    const policy = new RetryPolicy({ maxAttempts: 1 })
    await policy.execute(
      () => {
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })
      },
      { operation: 'op', ...otel.forCall() },
    )
    const [span] = exporter.getFinishedSpans()
    expect(span?.events[0]?.attributes).toMatchObject({
      [ATTR_EXCEPTION_MESSAGE]: 'socket hang up',
      [ATTR_ERROR_TYPE]: 'ECONNRESET',
    })
  })
})

/** A call whose first attempt never settles (until aborted) and whose hedge, after 10 ms, succeeds. */
async function hedgedCall(hooks: ReturnType<ReturnType<typeof otelHooks>['forCall']>): Promise<void> {
  const clock = new FakeClock()
  const policy = new RetryPolicy({ clock, hedge: { afterMs: 10 } })
  const fn = (ctx: AttemptContext): Promise<string> =>
    ctx.attempt === 1
      ? new Promise((_resolve, reject) => ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)))
      : Promise.resolve('hedge')
  const call = policy.call(fn, { operation: 'getUser', tags: { method: 'GET', host: 'api.test' }, ...hooks })
  await clock.runAll()
  expect(await call).toBe('hedge')
}

describe('otelHooks hedging', () => {
  it('adds a redress.hedge span event and the winning attempt, and keeps the span open until the run ends', async () => {
    const { exporter, otel } = setup()
    await hedgedCall(otel.forCall())
    const [span, ...rest] = exporter.getFinishedSpans()
    expect(rest).toEqual([])
    expect(span?.events.map((e) => e.name)).toEqual(['redress.hedge', 'redress.success'])
    expect(span?.events[0]?.attributes).toMatchObject({
      [OTEL_ATTRIBUTES.ATTEMPTS]: 2,
      [OTEL_ATTRIBUTES.HEDGE_AFTER_MS]: 10,
      [OTEL_ATTRIBUTES.OPERATION]: 'getUser',
    })
    expect(span?.attributes).toMatchObject({
      [OTEL_ATTRIBUTES.ATTEMPTS]: 2,
      [OTEL_ATTRIBUTES.WINNING_ATTEMPT]: 2,
      [ATTR_HTTP_REQUEST_RESEND_COUNT]: 1,
    })
    expect(span?.status.code).toBe(SpanStatusCode.UNSET)
  })

  it('counts hedges, and counts the hedged run once in redress.attempts with no give-up', async () => {
    const { reader, otel } = setup()
    await hedgedCall(otel.forCall())
    const rm = await collect(reader)
    expect(sum(rm, OTEL_METRICS.HEDGES)).toBe(1)
    expect(
      sum(rm, OTEL_METRICS.HEDGES, { [OTEL_ATTRIBUTES.OPERATION]: 'getUser', [ATTR_HTTP_REQUEST_METHOD]: 'GET' }),
    ).toBe(1)
    const attempts = points(rm, OTEL_METRICS.ATTEMPTS).map((p) => p.value as Histogram)
    expect(attempts.map((h) => [h.count, h.sum])).toEqual([[1, 2]])
    expect(sum(rm, OTEL_METRICS.GIVE_UPS)).toBe(0)
    expect(sum(rm, OTEL_METRICS.RETRIES)).toBe(0)
  })
})

describe('otelHooks metrics', () => {
  it('records retries, sleeps, attempts and give-ups by stop reason across scripted runs', async () => {
    const { reader, otel } = setup()
    const clock = new FakeClock()
    await scriptedHttpRun(otel.forCall(), [503, 503, 200], {}, {}, clock)
    await scriptedHttpRun(otel.forCall(), [404], {}, {}, clock)
    await scriptedHttpRun(
      otel.forCall(),
      [503],
      { budget: new Budget({ maxRetries: 0, windowMs: 1_000, clock }) },
      {},
      clock,
    )
    const controller = new AbortController()
    await scriptedHttpRun(
      otel.forCall(),
      [503],
      {},
      { signal: controller.signal, beforeSleep: () => controller.abort() },
      clock,
    )

    const rm = await collect(reader)
    // two retries in the first run, one in the aborted run (decided before the abort)
    expect(sum(rm, OTEL_METRICS.RETRIES)).toBe(3)
    expect(sum(rm, OTEL_METRICS.RETRIES, { [OTEL_ATTRIBUTES.CLASS]: 'SERVER_ERROR', [ATTR_ERROR_TYPE]: '503' })).toBe(3)
    expect(sum(rm, OTEL_METRICS.GIVE_UPS)).toBe(3)
    for (const reason of ['NON_RETRYABLE_CLASS', 'BUDGET_EXHAUSTED', 'ABORTED']) {
      expect(sum(rm, OTEL_METRICS.GIVE_UPS, { [OTEL_ATTRIBUTES.STOP_REASON]: reason })).toBe(1)
    }
    const sleep = points(rm, OTEL_METRICS.RETRY_SLEEP).map((p) => p.value as Histogram)
    expect(sleep.reduce((n, h) => n + h.count, 0)).toBe(3)
    expect(sleep.reduce((n, h) => n + (h.sum ?? 0), 0)).toBeCloseTo(0.3)
    const attempts = points(rm, OTEL_METRICS.ATTEMPTS)
    const byOutcome = Object.fromEntries(
      attempts.map((p) => [String(p.attributes[OTEL_ATTRIBUTES.STOP_REASON] ?? 'success'), (p.value as Histogram).sum]),
    )
    expect(byOutcome).toEqual({ success: 3, NON_RETRYABLE_CLASS: 1, BUDGET_EXHAUSTED: 1, ABORTED: 1 })
    expect(attempts[0]?.attributes[ATTR_HTTP_REQUEST_METHOD]).toBe('GET')
  })

  it('counts circuit state changes by state', async () => {
    const { reader, otel } = setup()
    const clock = new FakeClock()
    const circuitBreaker = new CircuitBreaker({ failureThreshold: 1, recoveryTimeoutMs: 50, clock })
    await scriptedHttpRun(otel.forCall(), [503], { circuitBreaker, maxAttempts: 1 }, {}, clock)
    await scriptedHttpRun(otel.forCall(), [200], { circuitBreaker }, {}, clock)
    await clock.advance(50)
    await scriptedHttpRun(otel.forCall(), [200], { circuitBreaker }, {}, clock)
    const rm = await collect(reader)
    const byState = (state: string): number =>
      sum(rm, OTEL_METRICS.CIRCUIT_STATE_CHANGES, { [OTEL_ATTRIBUTES.CIRCUIT_STATE]: state })
    expect([byState('open'), byState('half_open'), byState('closed')]).toEqual([1, 1, 1])
    expect(sum(rm, OTEL_METRICS.GIVE_UPS, { [OTEL_ATTRIBUTES.STOP_REASON]: 'CIRCUIT_OPEN' })).toBe(1)
  })

  it('counts each event once when onMetric is on the policy and forCall() on the call', async () => {
    const { reader, exporter, otel } = setup()
    await scriptedHttpRun(otel.forCall(), [503, 200], { onMetric: otel.onMetric })
    const rm = await collect(reader)
    expect(sum(rm, OTEL_METRICS.RETRIES)).toBe(1)
    expect(points(rm, OTEL_METRICS.ATTEMPTS).reduce((n, p) => n + (p.value as Histogram).count, 0)).toBe(1)
    expect(exporter.getFinishedSpans()).toHaveLength(1)
  })

  it('records metrics but no span from the policy-level onMetric alone', async () => {
    const { reader, exporter, otel } = setup()
    await scriptedHttpRun({}, [503, 200], { onMetric: otel.onMetric })
    expect(sum(await collect(reader), OTEL_METRICS.RETRIES)).toBe(1)
    expect(exporter.getFinishedSpans()).toEqual([])
  })

  it('uses the bucket boundaries it was given as advice', async () => {
    const { reader, otel } = setup({ sleepBucketsSeconds: [0.1, 1], attemptBuckets: [1, 3] })
    await scriptedHttpRun(otel.forCall(), [503, 200])
    const rm = await collect(reader)
    const boundaries = (name: string): number[] =>
      points(rm, name).flatMap((p) => (p.value as Histogram).buckets.boundaries)
    expect(boundaries(OTEL_METRICS.RETRY_SLEEP)).toEqual([0.1, 1])
    expect(boundaries(OTEL_METRICS.ATTEMPTS)).toEqual([1, 3])
  })
})

describe('otelHooks options', () => {
  it('uses the semantic-conventions attribute names', () => {
    expect(OTEL_ATTRIBUTES.HTTP_REQUEST_RESEND_COUNT).toBe(ATTR_HTTP_REQUEST_RESEND_COUNT)
    expect(OTEL_ATTRIBUTES.HTTP_REQUEST_METHOD).toBe(ATTR_HTTP_REQUEST_METHOD)
    expect(OTEL_ATTRIBUTES.SERVER_ADDRESS).toBe(ATTR_SERVER_ADDRESS)
    expect(OTEL_ATTRIBUTES.HTTP_RESPONSE_STATUS_CODE).toBe(ATTR_HTTP_RESPONSE_STATUS_CODE)
    expect(OTEL_ATTRIBUTES.ERROR_TYPE).toBe(ATTR_ERROR_TYPE)
    expect(OTEL_ATTRIBUTES.EXCEPTION_MESSAGE).toBe(ATTR_EXCEPTION_MESSAGE)
  })

  it('works with the global (no-op) providers when given nothing', async () => {
    const otel = otelHooks()
    await expect(new RetryPolicy({}).call(async () => 1, { ...otel.forCall() })).resolves.toBe(1)
  })

  it('documents the defaults it uses', async () => {
    const { readFile } = await import('node:fs/promises')
    const source = await readFile(new URL('./otelHooks.ts', import.meta.url), 'utf8')
    expect(source).toContain(`@default [${OTEL_HOOKS_DEFAULTS.sleepBucketsSeconds.join(', ')}]`)
    expect(source).toContain(`@default [${OTEL_HOOKS_DEFAULTS.attemptBuckets.join(', ')}]`)
  })

  it.each([
    [{ tracer: {} }, TypeError, /tracer/],
    [{ meter: { createCounter: () => undefined } }, TypeError, /meter/],
    [{ spanName: 'x' }, TypeError, /spanName/],
    [{ sleepBucketsSeconds: [] }, TypeError, /sleepBucketsSeconds/],
    [{ sleepBucketsSeconds: [1, 0.5] }, RangeError, /sleepBucketsSeconds.*\[1, 0.5\]/],
    [{ attemptBuckets: [1, Number.NaN] }, RangeError, /attemptBuckets/],
  ])('rejects %o at construction', (options, type, message) => {
    expect(() => otelHooks(options as never)).toThrow(type)
    expect(() => otelHooks(options as never)).toThrow(message)
  })
})
