import type { Counter, Histogram, Meter } from '@opentelemetry/api'
import { CIRCUIT_TRANSITION_EVENTS, EventName, type EventTags, isTerminalEvent } from '@redress/core'
import { eventAttributes } from './eventAttributes.ts'
import { OTEL_ATTRIBUTES as A } from './otelAttributes.ts'
import { OTEL_METRICS as M } from './otelMetricNames.ts'

/**
 * The six instruments, created once per `otelHooks()` and fed by `onMetric`. Metrics
 * need no per-run state: a terminal event's `attempt` is the run's attempt count, so the
 * same recorder serves concurrent runs.
 */
export class OtelMetrics {
  readonly #retries: Counter
  readonly #attempts: Histogram
  readonly #sleep: Histogram
  readonly #giveUps: Counter
  readonly #circuit: Counter
  readonly #hedges: Counter
  #lastTags: EventTags | undefined = undefined

  constructor(meter: Meter, sleepBucketsSeconds: readonly number[], attemptBuckets: readonly number[]) {
    this.#retries = meter.createCounter(M.RETRIES, { unit: '{retry}', description: 'Retries decided by redress.' })
    this.#attempts = meter.createHistogram(M.ATTEMPTS, {
      unit: '{attempt}',
      description: 'Attempts made per redress run, recorded when the run ends.',
      advice: { explicitBucketBoundaries: [...attemptBuckets] },
    })
    this.#sleep = meter.createHistogram(M.RETRY_SLEEP, {
      unit: 's',
      description: 'Backoff sleep before each retry.',
      advice: { explicitBucketBoundaries: [...sleepBucketsSeconds] },
    })
    this.#giveUps = meter.createCounter(M.GIVE_UPS, {
      unit: '{run}',
      description: 'Runs that stopped without success, by stop reason.',
    })
    this.#circuit = meter.createCounter(M.CIRCUIT_STATE_CHANGES, {
      unit: '{transition}',
      description: 'Circuit breaker state changes.',
    })
    this.#hedges = meter.createCounter(M.HEDGES, {
      unit: '{hedge}',
      description: 'Hedged attempts started alongside an attempt still in flight.',
    })
  }

  /** Records one event. */
  record(event: EventName, attempt: number, sleepMs: number, tags: EventTags): void {
    // The engine builds one tags object per event and hands that same object to the
    // policy's hook and then the call's: seeing it twice means this recorder is wired
    // both ways, and the event must count once.
    if (tags === this.#lastTags) return
    this.#lastTags = tags
    if (event === EventName.RETRY) {
      const attrs = eventAttributes(tags, true)
      this.#retries.add(1, attrs)
      this.#sleep.record(sleepMs / 1000, attrs)
      return
    }
    if (event === EventName.HEDGE) {
      this.#hedges.add(1, eventAttributes(tags, false))
      return
    }
    if (CIRCUIT_TRANSITION_EVENTS.has(event)) {
      const attrs = eventAttributes(tags, false)
      const state = tags['state']
      if (typeof state === 'string') attrs[A.CIRCUIT_STATE] = state
      this.#circuit.add(1, attrs)
      return
    }
    if (!isTerminalEvent(event)) return
    const failed = event !== EventName.SUCCESS
    const attrs = eventAttributes(tags, failed)
    this.#attempts.record(attempt, attrs)
    if (failed) this.#giveUps.add(1, attrs)
  }
}
