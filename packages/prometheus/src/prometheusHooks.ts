import { EventName, type EventTags, isTerminalEvent, type MetricHook } from '@redress/core'
import { Counter, Histogram, type Registry } from 'prom-client'
import { PROMETHEUS_LABELS, type PrometheusLabel } from './prometheusLabels.ts'

/** Options of {@link prometheusHooks}. */
export interface PrometheusHooksOptions {
  /** The prom-client registry the metrics are registered in (e.g. `new Registry()` or `register`). Required. */
  registry: Registry
  /**
   * Prepended to every metric name; letters, digits, `_` and `:` only.
   * @default 'redress_'
   */
  prefix?: string | undefined
  /**
   * Bucket upper bounds of `<prefix>retry_sleep_seconds`, in **seconds** (Prometheus's base
   * unit), ascending.
   * @default [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]
   */
  buckets?: readonly number[] | undefined
  /**
   * Bucket upper bounds of `<prefix>run_attempts`, ascending.
   * @default [1, 2, 3, 4, 5, 6, 8, 10]
   */
  attemptBuckets?: readonly number[] | undefined
}

/** The defaults of {@link PrometheusHooksOptions}, resolved once. */
export const PROMETHEUS_HOOKS_DEFAULTS: {
  readonly prefix: 'redress_'
  readonly buckets: readonly number[]
  readonly attemptBuckets: readonly number[]
} = Object.freeze({
  prefix: 'redress_',
  buckets: Object.freeze([0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60]),
  attemptBuckets: Object.freeze([1, 2, 3, 4, 5, 6, 8, 10]),
} as const)

/** What {@link prometheusHooks} returns: a metric hook, for a policy or for a call. */
export interface PrometheusHooks {
  /** Records one event. Keeps no per-run state, so one instance serves every run. */
  readonly onMetric: MetricHook
}

/**
 * Prometheus metrics for redress, with one fixed label set (`PROMETHEUS_LABELS`):
 * - `<prefix>events_total` — counter of every event (`event="retry"`, `event="budget_exhausted"` …);
 *   give-ups are the samples with a non-empty `stop_reason`.
 * - `<prefix>retry_sleep_seconds` — histogram of the sleep before each retry.
 * - `<prefix>run_attempts` — histogram of attempts per run, observed when the run ends.
 *
 * Registration is idempotent: a second call with the same registry reuses the metrics the
 * first one registered (and throws a TypeError if something else owns those names).
 *
 * @example
 * const { onMetric } = prometheusHooks({ registry: register })
 * const policy = new RetryPolicy({ onMetric })
 */
export function prometheusHooks(options: PrometheusHooksOptions): PrometheusHooks {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`prometheusHooks(options): options must be an object with a registry, got ${String(options)}`)
  }
  const registry: unknown = options.registry
  const r = registry as { getSingleMetric?: unknown; registerMetric?: unknown } | null | undefined
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.getSingleMetric !== 'function' ||
    typeof r.registerMetric !== 'function'
  ) {
    throw new TypeError('prometheusHooks: registry must be a prom-client Registry (e.g. new Registry() or register)')
  }
  const prefix = options.prefix ?? PROMETHEUS_HOOKS_DEFAULTS.prefix
  if (typeof prefix !== 'string' || !/^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/.test(prefix)) {
    throw new TypeError(
      `prometheusHooks: prefix must be a valid metric name prefix ([a-zA-Z_:][a-zA-Z0-9_:]*), got "${String(prefix)}"`,
    )
  }
  const sleepBuckets = buckets(options.buckets, PROMETHEUS_HOOKS_DEFAULTS.buckets, 'buckets')
  const attemptBuckets = buckets(options.attemptBuckets, PROMETHEUS_HOOKS_DEFAULTS.attemptBuckets, 'attemptBuckets')
  const reg = options.registry

  const eventsName = `${prefix}events_total`
  const eventsTotal =
    (existing(reg, eventsName, 'counter', undefined) as Counter<PrometheusLabel> | undefined) ??
    new Counter({
      name: eventsName,
      help: 'redress events (retries, successes, give-ups by stop_reason, circuit transitions).',
      labelNames: PROMETHEUS_LABELS,
      registers: [reg],
    })
  const sleep = histogram(
    reg,
    `${prefix}retry_sleep_seconds`,
    'Backoff sleep before each redress retry, in seconds.',
    sleepBuckets,
  )
  const attempts = histogram(
    reg,
    `${prefix}run_attempts`,
    'Attempts per redress run, observed when the run ends.',
    attemptBuckets,
  )

  const onMetric: MetricHook = (event, attempt, sleepMs, tags) => {
    const labels = labelsOf(event, tags)
    eventsTotal.inc(labels)
    if (event === EventName.RETRY) sleep.observe(labels, sleepMs / 1000)
    else if (isTerminalEvent(event)) attempts.observe(labels, attempt)
  }
  return { onMetric }
}

function labelsOf(event: EventName, tags: EventTags): Record<PrometheusLabel, string> {
  return {
    event,
    class: text(tags['class']),
    operation: text(tags['operation']),
    stop_reason: text(tags['stop_reason']),
    method: text(tags['method']),
    host: text(tags['host']),
    status: text(tags['status']),
  }
}

function text(value: string | number | undefined): string {
  return value === undefined ? '' : String(value)
}

/** The histogram registered under `name` with these buckets, or a new one registered there. */
function histogram(
  registry: Registry,
  name: string,
  help: string,
  upperBounds: readonly number[],
): Histogram<PrometheusLabel> {
  return (
    (existing(registry, name, 'histogram', upperBounds) as Histogram<PrometheusLabel> | undefined) ??
    new Histogram({ name, help, labelNames: PROMETHEUS_LABELS, buckets: [...upperBounds], registers: [registry] })
  )
}

/**
 * The metric already registered under `name`, when it is the one this package would
 * register; `undefined` when the name is free. Anything else there is a conflict.
 */
function existing(
  registry: Registry,
  name: string,
  type: 'counter' | 'histogram',
  upperBounds: readonly number[] | undefined,
): unknown {
  const found: unknown = registry.getSingleMetric(name)
  if (found === undefined) return undefined
  const m = found as { type?: unknown; labelNames?: unknown; upperBounds?: unknown }
  const labels = Array.isArray(m.labelNames) ? m.labelNames : []
  const sameLabels = labels.length === PROMETHEUS_LABELS.length && PROMETHEUS_LABELS.every((l, i) => labels[i] === l)
  const bounds = Array.isArray(m.upperBounds) ? m.upperBounds : []
  const sameBounds =
    upperBounds === undefined || (bounds.length === upperBounds.length && upperBounds.every((b, i) => bounds[i] === b))
  if (m.type === type && sameLabels && sameBounds) return found
  throw new TypeError(
    `prometheusHooks: "${name}" is already registered in this registry as a different metric ` +
      `(another type, labels or buckets); use another prefix or registry`,
  )
}

function buckets(value: readonly number[] | undefined, fallback: readonly number[], name: string): readonly number[] {
  if (value === undefined) return fallback
  if (!Array.isArray(value) || value.length === 0) {
    throw new TypeError(`prometheusHooks: ${name} must be a non-empty array of numbers`)
  }
  let prev = Number.NEGATIVE_INFINITY
  for (const b of value) {
    if (typeof b !== 'number' || !Number.isFinite(b) || b < 0 || b <= prev) {
      throw new RangeError(
        `prometheusHooks: ${name} must be finite, non-negative and ascending, got [${value.join(', ')}]`,
      )
    }
    prev = b
  }
  return Object.freeze([...value])
}
