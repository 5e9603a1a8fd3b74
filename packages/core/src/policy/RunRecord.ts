import type { CircuitState } from '../breaker/CircuitBreakerLike.ts'
import type { Classification } from '../Classification.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import type { EventName } from '../events/EventName.ts'
import type { StopReason } from '../events/StopReason.ts'
import { CIRCUIT_EVENTS, STOP_EVENTS } from '../events/stopEvents.ts'
import { activeDiagnosticsChannel } from '../observability/diagnosticsPublisher.ts'
import { attemptEnded, attemptStarted } from './attemptHooks.ts'
import { emitEvent } from './emitEvent.ts'
import type { CallOptions, EventTags, RetryHooks, SleepContext, TimelineEntry } from './RetryOptions.ts'
import type { RunState } from './RunState.ts'
import type { ResolvedPolicy } from './resolveOptions.ts'
import { errorMessageOf, eventTags, failureTags, statusTagOf } from './runTags.ts'
import { timelineEntry } from './timelineEntry.ts'

/**
 * What a run has seen, and what it tells: the last failure, the attempt being recorded, the
 * timeline, the attempt hooks and the events. `Run` decides and calls one method per step;
 * this never decides, and reads the run's `RunState` only as it is handed in.
 */
export class RunRecord {
  readonly #hooks: readonly RetryHooks[]
  readonly #hasHooks: boolean
  // The timeline and the attempt being recorded are @internal, read by timelineEntry.ts.
  readonly timeline: TimelineEntry[] | undefined
  readonly #policyTags: EventTags | undefined
  readonly #callTags: EventTags | undefined
  #tags: EventTags | undefined
  // The last failure is @internal too, read by runOutcome.ts.
  lastError: unknown = undefined
  lastResult: unknown = undefined
  lastCause: 'error' | 'result' | undefined = undefined
  lastStatus: number | undefined = undefined
  #lastClassification: Classification | undefined = undefined
  attemptStartMs = 0
  // The attempt being recorded: the latest started, or (hedging) whichever settled.
  settling = 0
  // Attempts started as hedges, for the timeline; made by the first hedge.
  hedgeAttempts: number[] | undefined

  constructor(policy: ResolvedPolicy, call: CallOptions | undefined) {
    this.#hooks = call === undefined ? [policy.hooks] : [policy.hooks, call]
    this.#hasHooks = this.#hooks.some((h) => h.onMetric !== undefined || h.onLog !== undefined)
    this.timeline = call?.captureTimeline === true ? [] : undefined
    this.#policyTags = policy.tags
    this.#callTags = call?.tags
  }

  /** Attempt `n` started at `nowMs` (already admitted): `onAttemptStart`, policy's then call's. */
  started(s: RunState, n: number, nowMs: number): void {
    this.settle(n, nowMs)
    attemptStarted(this.#hooks, s, n, nowMs)
  }

  /** Hedge `n` started `afterMs` after the previous attempt, alongside `inFlight` others: `hedge`. */
  hedged(s: RunState, n: number, afterMs: number, inFlight: number, nowMs: number): void {
    this.hedgeAttempts ??= []
    this.hedgeAttempts.push(n)
    if (this.#wants('hedge')) {
      this.#emit(s, 'hedge', 0, {}, { after_ms: afterMs, in_flight: inFlight, elapsed_ms: nowMs - s.startedAtMs })
    }
  }

  /** What follows is about attempt `n`, started at `startMs` (hedged attempts settle in any order). */
  settle(n: number, startMs: number): void {
    this.settling = n
    this.attemptStartMs = startMs
  }

  /** The attempt returned `value`, a success: `onAttemptEnd` (before the run credits anything). */
  returned(s: RunState, value: unknown, nowMs: number): void {
    // Only events and the timeline read the status of a success; skip the probing otherwise.
    if (this.timeline !== undefined || this.#wants('success')) this.lastStatus = statusTagOf(value)
    attemptEnded(this.#hooks, s, this.settling, this.attemptStartMs, nowMs, true, undefined, undefined, value)
  }

  /** The run succeeded (`s` is done): the timeline and `success`, with the winner when it hedged. */
  succeeded(s: RunState, nowMs: number, hedged: boolean): void {
    timelineEntry(this, s, nowMs, undefined, undefined, 'success')
    if (!this.#wants('success')) return
    const elapsed = nowMs - s.startedAtMs
    this.#emit(
      s,
      'success',
      0,
      {},
      hedged ? { elapsed_ms: elapsed, winning_attempt: this.settling } : { elapsed_ms: elapsed },
    )
  }

  /** Remembers a failed attempt (an error or a rejected result) and calls `onAttemptEnd`. */
  failed(
    s: RunState,
    classification: Classification,
    cause: 'error' | 'result',
    error: unknown,
    result: unknown,
    nowMs: number,
  ): void {
    this.lastError = error
    this.lastResult = result
    this.lastCause = cause
    this.#lastClassification = classification
    this.lastStatus = statusTagOf(cause === 'error' ? error : result)
    attemptEnded(
      this.#hooks,
      s,
      this.settling,
      this.attemptStartMs,
      nowMs,
      false,
      classification.errorClass,
      error,
      result,
    )
  }

  /** A failed attempt not decided on, another being in flight (hedging): `'wait'` in the timeline. */
  waited(s: RunState, errorClass: ErrorClass, error: unknown, nowMs: number): void {
    timelineEntry(this, s, nowMs, errorClass, error, 'wait')
  }

  /** An attempt aborted because another won (hedging): `onAttemptEnd`, `'cancelled'`, no status. */
  cancelled(s: RunState, reason: unknown, nowMs: number): void {
    attemptEnded(this.#hooks, s, this.settling, this.attemptStartMs, nowMs, false, undefined, reason, undefined)
    timelineEntry(this, s, nowMs, undefined, reason, 'cancelled', undefined, undefined, undefined, null)
  }

  /** The run will retry after `delayMs`: the timeline and `retry`. */
  retrying(s: RunState, delayMs: number, sleepSource: 'strategy' | 'retry_after', nowMs: number): void {
    timelineEntry(this, s, nowMs, s.lastClass ?? undefined, this.lastError, 'retry', delayMs, sleepSource)
    if (!this.#wants('retry')) return
    this.#emit(s, 'retry', delayMs, this.#failureTags(s), {
      sleep_source: sleepSource,
      retry_after_ms: this.#lastClassification?.retryAfterMs,
      elapsed_ms: nowMs - s.startedAtMs,
    })
  }

  /** The run stopped (`s` is done): the timeline and the stop event. Returns whether an attempt failed. */
  stopped(s: RunState, reason: StopReason, nextSleepMs: number | undefined, nowMs: number): boolean {
    const failed = this.lastCause !== undefined
    if (failed)
      timelineEntry(this, s, nowMs, s.lastClass ?? undefined, this.lastError, 'stop', undefined, undefined, reason)
    const event = STOP_EVENTS[reason]
    if (!this.#wants(event)) return failed
    const c = this.#lastClassification
    this.#emit(
      s,
      event,
      nextSleepMs ?? 0,
      { ...this.#failureTags(s), stop_reason: reason },
      {
        elapsed_ms: nowMs - s.startedAtMs,
        next_sleep_ms: nextSleepMs,
        retry_after_ms: c?.retryAfterMs,
        reason: c?.details?.['reason'],
      },
    )
    return failed
  }

  /** The run was refused before its first attempt (`s` is done), with `error` as its last error: `event`. */
  refused(
    s: RunState,
    reason: StopReason,
    error: Error,
    event: 'circuit_rejected' | 'throttled',
    state: CircuitState | undefined,
    fields: Readonly<Record<string, unknown>>,
  ): void {
    this.lastError = error
    this.lastCause = 'error'
    if (this.#wants(event)) this.#emit(s, event, 0, { stop_reason: reason, state }, fields)
  }

  /** The run was aborted by an attempt's own error (an `AbortRetryError` thrown by `fn`): its last error. */
  abortedBy(error: unknown): void {
    this.lastError = error
  }

  /** A breaker transition; `errorClass` is the class of the failure that caused it, when one did. */
  circuit(s: RunState, state: CircuitState, errorClass?: ErrorClass): void {
    this.#emit(s, CIRCUIT_EVENTS[state], 0, errorClass === undefined ? { state } : { state, class: errorClass }, {})
  }

  /** What the `sleep` handler and `beforeSleep` hooks see of the retry about to happen. */
  sleepContext(s: RunState, sleepMs: number, nowMs: number): SleepContext {
    return {
      attempt: s.attempts,
      operation: s.operation ?? undefined,
      sleepMs,
      errorClass: s.lastClass ?? 'UNKNOWN',
      classification: this.#lastClassification ?? { errorClass: s.lastClass ?? 'UNKNOWN' },
      error: this.lastCause === 'error' ? this.lastError : undefined,
      result: this.lastCause === 'result' ? this.lastResult : undefined,
      remainingMs: s.deadlineAtMs === null ? Infinity : s.deadlineAtMs - nowMs,
    }
  }

  /** True when some hook or diagnostics subscriber wants `event`; lets callers skip building payloads. */
  #wants(event: EventName): boolean {
    return this.#hasHooks || activeDiagnosticsChannel(event) !== undefined
  }

  #emit(
    s: RunState,
    event: EventName,
    sleepMs: number,
    extra: EventTags,
    fields: Readonly<Record<string, unknown>>,
  ): void {
    const channel = activeDiagnosticsChannel(event)
    if (!this.#hasHooks && channel === undefined) return
    const message = this.lastCause === 'error' ? errorMessageOf(this.lastError) : undefined
    // The tags every event of the run carries (policy tags, call tags, operation), made once.
    this.#tags ??= { ...this.#policyTags, ...this.#callTags, operation: s.operation ?? undefined }
    emitEvent(
      this.#hooks,
      event,
      s.attempts,
      sleepMs,
      eventTags(this.#tags, extra, this.lastStatus),
      message === undefined ? fields : { ...fields, error: message },
      channel,
    )
  }

  #failureTags(s: RunState): EventTags {
    return failureTags(s.lastClass, this.lastCause, this.lastError, this.lastStatus)
  }
}
