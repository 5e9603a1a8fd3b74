import type { CircuitState } from '../breaker/CircuitBreakerLike.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import type { EventName } from '../events/EventName.ts'
import type { StopReason } from '../events/StopReason.ts'
import { CIRCUIT_EVENTS, STOP_EVENTS } from '../events/stopEvents.ts'
import { activeDiagnosticsChannel } from '../observability/diagnosticsPublisher.ts'
import { callAttemptEnd, callAttemptStart, emitEvent } from './emitEvent.ts'
import type { CallOptions, EventTags, RetryHooks } from './RetryOptions.ts'
import { RunRecord } from './RunRecord.ts'
import type { RunState } from './RunState.ts'
import type { ResolvedPolicy } from './resolveOptions.ts'
import { errorMessageOf, eventTags, failureTags } from './runTags.ts'

/**
 * What a run tells: the `onAttemptStart`/`onAttemptEnd` hooks, and its events to the metric and
 * log hooks and diagnostics channels (payloads built only when someone listens). It decides
 * nothing; `Run` extends it with the decisions and calls the `report…` methods as it makes them.
 */
export class RunEvents extends RunRecord {
  readonly hooks: readonly RetryHooks[]
  readonly #call: CallOptions | undefined
  readonly #hasHooks: boolean
  #tags: EventTags | undefined

  constructor(policy: ResolvedPolicy, call: CallOptions | undefined, state: RunState) {
    super(policy, call, state)
    this.hooks = call === undefined ? [policy.hooks] : [policy.hooks, call]
    this.#call = call
    this.#hasHooks = this.hooks.some((h) => h.onMetric !== undefined || h.onLog !== undefined)
  }

  /** The tags every event of this run carries (policy tags, call tags, operation). */
  get tags(): EventTags {
    this.#tags ??= { ...this.policy.tags, ...this.#call?.tags, operation: this.state.operation ?? undefined }
    return this.#tags
  }

  /**
   * Records an attempt aborted because another one won (hedging), with the reason its signal
   * aborted with: neither a success nor a failure to the budget, the observers or the breaker.
   */
  recordCancelled(reason: unknown, nowMs: number): void {
    this.attemptEnd(nowMs, false, undefined, reason, undefined)
    // A cancelled attempt has no status of its own, whatever failed before it.
    this.addToTimeline(nowMs, undefined, reason, 'cancelled', undefined, undefined, undefined, null)
  }

  /** Emits the `retry` event for a retry the driver will carry out. */
  confirmRetry(delayMs: number, sleepSource: 'strategy' | 'retry_after', nowMs: number): void {
    this.addToTimeline(
      nowMs,
      this.state.lastClass ?? undefined,
      this.lastError,
      'retry',
      delayMs,
      sleepSource,
      undefined,
    )
    if (!this.wants('retry')) return
    this.emit('retry', delayMs, this.failureTags(), {
      sleep_source: sleepSource,
      retry_after_ms: this.lastClassification?.retryAfterMs,
      elapsed_ms: nowMs - this.state.startedAtMs,
    })
  }

  /** Calls the `onAttemptStart` hooks for attempt `n`, started at `nowMs`. */
  protected attemptStart(n: number, nowMs: number): void {
    callAttemptStart(this.hooks, n, this.state.operation ?? undefined, nowMs - this.state.startedAtMs)
  }

  /** Counts attempt `n` as a hedge and emits `hedge`. */
  protected hedgeStarted(n: number, nowMs: number, afterMs: number, inFlight: number): void {
    this.markHedge(n)
    if (this.wants('hedge')) {
      this.emit('hedge', 0, {}, { after_ms: afterMs, in_flight: inFlight, elapsed_ms: nowMs - this.state.startedAtMs })
    }
  }

  /** Reports a call the open breaker refused (`circuit_rejected`); `state` is the breaker's. */
  protected reportCircuitRejected(state: CircuitState, retryInMs: number | undefined): void {
    this.emit(
      'circuit_rejected',
      0,
      { stop_reason: 'CIRCUIT_OPEN' satisfies StopReason, state },
      { retry_in_ms: retryInMs },
    )
  }

  /** Reports a call the throttle refused (`throttled`). */
  protected reportThrottled(rejectionProbability: number | undefined): void {
    if (this.wants('throttled')) {
      this.emit(
        'throttled',
        0,
        { stop_reason: 'THROTTLED' satisfies StopReason },
        { rejection_probability: rejectionProbability },
      )
    }
  }

  /** Reports the success the run just recorded: timeline and `success` event. */
  protected reportSuccess(nowMs: number): void {
    this.addToTimeline(nowMs, undefined, undefined, 'success', undefined, undefined, undefined)
    if (this.wants('success')) {
      const elapsed = nowMs - this.state.startedAtMs
      this.emit(
        'success',
        0,
        {},
        this.hedgeCount === 0 ? { elapsed_ms: elapsed } : { elapsed_ms: elapsed, winning_attempt: this.settling },
      )
    }
  }

  /** Reports the stop the run just recorded: timeline (after a failure) and the stop reason's event. */
  protected reportStop(reason: StopReason, nextSleepMs: number | undefined, nowMs: number): void {
    if (this.lastCause !== undefined) {
      this.addToTimeline(nowMs, this.state.lastClass ?? undefined, this.lastError, 'stop', undefined, undefined, reason)
    }
    if (this.wants(STOP_EVENTS[reason])) {
      this.emit(
        STOP_EVENTS[reason],
        nextSleepMs ?? 0,
        { ...this.failureTags(), stop_reason: reason },
        {
          elapsed_ms: nowMs - this.state.startedAtMs,
          next_sleep_ms: nextSleepMs,
          retry_after_ms: this.lastClassification?.retryAfterMs,
          reason: this.lastClassification?.details?.['reason'],
        },
      )
    }
  }

  /** True when some hook or diagnostics subscriber wants `event`; lets callers skip building payloads. */
  protected wants(event: EventName): boolean {
    return this.#hasHooks || activeDiagnosticsChannel(event) !== undefined
  }

  protected failureTags(): EventTags {
    return failureTags(this.state.lastClass, this.lastCause, this.lastError, this.lastStatus)
  }

  protected emit(event: EventName, sleepMs: number, extra: EventTags, fields: Readonly<Record<string, unknown>>): void {
    const channel = activeDiagnosticsChannel(event)
    if (!this.#hasHooks && channel === undefined) return
    const message = this.lastCause === 'error' ? errorMessageOf(this.lastError) : undefined
    emitEvent(
      this.hooks,
      event,
      this.state.attempts,
      sleepMs,
      eventTags(this.tags, extra, this.lastStatus),
      message === undefined ? fields : { ...fields, error: message },
      channel,
    )
  }

  /** A breaker transition; `errorClass` is the class of the failure that caused it, when one did. */
  protected circuitEvent(state: CircuitState, errorClass?: ErrorClass): void {
    this.emit(CIRCUIT_EVENTS[state], 0, errorClass === undefined ? { state } : { state, class: errorClass }, {})
  }

  /** Calls the `onAttemptEnd` hooks for the attempt being recorded. */
  protected attemptEnd(
    nowMs: number,
    ok: boolean,
    errorClass: ErrorClass | undefined,
    error: unknown,
    value: unknown,
  ): void {
    const s = this.state
    const startMs = this.attemptStartMs
    const operation = s.operation ?? undefined
    callAttemptEnd(
      this.hooks,
      this.settling,
      operation,
      startMs - s.startedAtMs,
      ok,
      errorClass,
      error,
      value,
      nowMs - startMs,
    )
  }
}
