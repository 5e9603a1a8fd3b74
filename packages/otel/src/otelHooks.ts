import { type Meter, metrics, type Tracer, trace } from '@opentelemetry/api'
import type { MetricHook, RetryHooks } from '@redress/core'
import { OtelMetrics } from './OtelMetrics.ts'
import { defaultSpanName, RunSpan } from './RunSpan.ts'

/** Options of {@link otelHooks}. */
export interface OtelHooksOptions {
  /**
   * Starts the span of each run (`forCall()` only).
   * @default trace.getTracer('@redress/otel') — the global tracer provider (a no-op until an SDK registers one)
   */
  tracer?: Tracer | undefined
  /**
   * Creates the six instruments (see `OTEL_METRICS`), once per `otelHooks()` call.
   * @default metrics.getMeter('@redress/otel') — the global meter provider
   */
  meter?: Meter | undefined
  /**
   * Names a run's span from its operation. Keep it low-cardinality.
   * @default (operation) => `redress ${operation}` (`redress` without an operation)
   */
  spanName?: ((operation: string | undefined) => string) | undefined
  /**
   * Bucket boundaries of the retry-sleep histogram, in **seconds** (OTel's unit for
   * durations), ascending. Passed as advice; a View configured in the SDK wins.
   * @default [0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
   */
  sleepBucketsSeconds?: readonly number[] | undefined
  /**
   * Bucket boundaries of the attempts-per-run histogram, ascending.
   * @default [1, 2, 3, 4, 5, 6, 8, 10]
   */
  attemptBuckets?: readonly number[] | undefined
}

/** The defaults of {@link OtelHooksOptions}, resolved once. */
export const OTEL_HOOKS_DEFAULTS: {
  readonly instrumentationName: '@redress/otel'
  readonly sleepBucketsSeconds: readonly number[]
  readonly attemptBuckets: readonly number[]
} = Object.freeze({
  instrumentationName: '@redress/otel',
  sleepBucketsSeconds: Object.freeze([0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]),
  attemptBuckets: Object.freeze([1, 2, 3, 4, 5, 6, 8, 10]),
} as const)

/**
 * OpenTelemetry instrumentation for redress runs: one set of instruments, and a factory
 * of per-run hooks.
 */
export interface OtelHooks {
  /**
   * A metric hook for a policy (`new RetryPolicy({ onMetric: otel.onMetric })`): records
   * the metrics of every run of the policy, keeps no per-run state and makes no spans.
   * Safe to share across concurrent runs.
   */
  readonly onMetric: MetricHook
  /**
   * Fresh hooks for **one** run, to spread into that call's options: a span for the run
   * plus its metrics. Per-call hooks add to the policy's, and each call gets its own
   * object, so concurrent runs of one operation never share a span. When `onMetric` of
   * the same `otelHooks()` is also on the policy, each event is still counted once.
   */
  forCall(): RetryHooks
}

/**
 * Creates OpenTelemetry hooks: a span per run (with `http.request.resend_count`,
 * `error.type`, the redress class and stop reason) and metrics (retries, attempts per
 * run, retry sleep, give-ups by stop reason, circuit state changes, hedges).
 *
 * @example
 * const otel = otelHooks({ tracer: trace.getTracer('my-app'), meter: metrics.getMeter('my-app') })
 * const user = await policy.call(fetchUser, { operation: 'getUser', ...otel.forCall() })
 *
 * @throws TypeError/RangeError naming the option when an option is malformed.
 */
export function otelHooks(options: OtelHooksOptions = {}): OtelHooks {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`otelHooks(options): options must be an object, got ${String(options)}`)
  }
  const tracer = options.tracer ?? trace.getTracer(OTEL_HOOKS_DEFAULTS.instrumentationName)
  if (typeof (tracer as { startSpan?: unknown }).startSpan !== 'function') {
    throw new TypeError('otelHooks: tracer must be an OpenTelemetry Tracer (with startSpan)')
  }
  const meter = options.meter ?? metrics.getMeter(OTEL_HOOKS_DEFAULTS.instrumentationName)
  const m = meter as { createCounter?: unknown; createHistogram?: unknown }
  if (typeof m.createCounter !== 'function' || typeof m.createHistogram !== 'function') {
    throw new TypeError('otelHooks: meter must be an OpenTelemetry Meter (with createCounter and createHistogram)')
  }
  const spanName = options.spanName ?? defaultSpanName
  if (typeof spanName !== 'function') {
    throw new TypeError(`otelHooks: spanName must be a function (operation) => string, got ${typeof spanName}`)
  }
  const sleepBuckets = buckets(
    options.sleepBucketsSeconds,
    OTEL_HOOKS_DEFAULTS.sleepBucketsSeconds,
    'sleepBucketsSeconds',
  )
  const attemptBuckets = buckets(options.attemptBuckets, OTEL_HOOKS_DEFAULTS.attemptBuckets, 'attemptBuckets')

  const recorder = new OtelMetrics(meter, sleepBuckets, attemptBuckets)
  const onMetric: MetricHook = (event, attempt, sleepMs, tags) => recorder.record(event, attempt, sleepMs, tags)
  return {
    onMetric,
    forCall(): RetryHooks {
      const span = new RunSpan(tracer, spanName)
      return {
        onAttemptStart: (ctx) => span.open(ctx.operation),
        onMetric,
        onLog: (event, fields) => span.event(event, fields),
      }
    },
  }
}

function buckets(value: readonly number[] | undefined, fallback: readonly number[], name: string): readonly number[] {
  if (value === undefined) return fallback
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`otelHooks: ${name} must be a non-empty array of numbers`)
  }
  let prev = Number.NEGATIVE_INFINITY
  for (const b of value) {
    if (typeof b !== 'number' || !Number.isFinite(b) || b < 0 || b <= prev) {
      throw new RangeError(`otelHooks: ${name} must be finite, non-negative and ascending, got [${value.join(', ')}]`)
    }
    prev = b
  }
  return Object.freeze([...value])
}
