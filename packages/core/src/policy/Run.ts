import type {
  BreakerAdmission,
  BreakerOutcome,
  CircuitBreakerLike,
  CircuitState,
} from '../breaker/CircuitBreakerLike.ts'
import type { RetryBudget } from '../budget/RetryBudget.ts'
import type { Classification, Classifier, ResultClassifier } from '../Classification.ts'
import { safeClassify, safeClassifyResult } from '../classify/safeClassify.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import { CircuitOpenError } from '../errors/CircuitOpenError.ts'
import { ThrottledError } from '../errors/ThrottledError.ts'
import type { EventName } from '../events/EventName.ts'
import type { StopReason } from '../events/StopReason.ts'
import { CIRCUIT_EVENTS, STOP_EVENTS } from '../events/stopEvents.ts'
import { isolate } from '../guard/isolate.ts'
import { activeDiagnosticsChannel } from '../observability/diagnosticsPublisher.ts'
import type { AdmissionThrottle } from '../throttle/AdmissionThrottle.ts'
import { creditSuccess } from './creditSuccess.ts'
import { type CoreDecision, countFailure, decide } from './decide.ts'
import { callHook, emitEvent } from './emitEvent.ts'
import type { CallOptions, EventTags, RetryHooks, RetryOutcome, SleepContext, TimelineEntry } from './RetryOptions.ts'
import type { RunState } from './RunState.ts'
import { budgetOf, type ResolvedPolicy, throttleOf } from './resolveOptions.ts'
import { errorMessageOf, eventTags, failureTags, statusTagOf } from './runTags.ts'

/**
 * One run: the only stateful shell around the pure decision core, shared by `call`/`execute`
 * (born lazily, on the first failure or when something listens) and the step API, so both
 * emit the same events for the same outcomes. It classifies, asks `decide`, feeds budget,
 * observers and breaker, and emits events; it never waits. Its `state` is an immutable
 * `RunState`, replaced (never mutated) at each step.
 */
export class Run {
  #state: RunState
  readonly policy: ResolvedPolicy
  readonly hooks: readonly RetryHooks[]
  readonly classifier: Classifier
  readonly resultClassifier: ResultClassifier | undefined
  readonly budget: RetryBudget | undefined
  // The call's own breaker (a per-origin one) or the policy's.
  readonly #breaker: CircuitBreakerLike | undefined
  // The call's own throttle (a per-origin one) or the policy's; told once how the call ended.
  #throttle: AdmissionThrottle | undefined
  readonly timeline: TimelineEntry[] | undefined
  #lastError: unknown = undefined
  #lastResult: unknown = undefined
  #lastCause: 'error' | 'result' | undefined = undefined
  #lastStatus: number | undefined = undefined
  #lastClassification: Classification | undefined = undefined
  #stopReason: StopReason | undefined = undefined
  #nextSleepMs: number | undefined = undefined
  #abortReason: unknown = undefined
  #admission: BreakerAdmission | undefined = undefined
  #attemptStartMs = 0
  // The attempt being recorded: the latest started, or (hedging) whichever settled.
  #settling = 0
  #hedges = 0
  // Attempts started as hedges, for the timeline; made by the first hedge.
  #hedgeAttempts: number[] | undefined
  #call: CallOptions | undefined
  #hasHooks: boolean
  #tags: EventTags | undefined
  #limits: ResolvedPolicy & { maxRetryAfterMs: number | undefined }

  constructor(policy: ResolvedPolicy, call: CallOptions | undefined, state: RunState) {
    this.policy = policy
    this.#state = state
    this.hooks = call === undefined ? [policy.hooks] : [policy.hooks, call]
    this.classifier = call?.classifier ?? policy.classifier
    this.resultClassifier = call?.resultClassifier ?? policy.resultClassifier
    this.budget = budgetOf(policy, call)
    this.#breaker = call?.circuitBreaker ?? policy.circuitBreaker
    this.#throttle = throttleOf(policy, call)
    this.#call = call
    this.#hasHooks = this.hooks.some((h) => h.onMetric !== undefined || h.onLog !== undefined)
    this.timeline = call?.captureTimeline === true ? [] : undefined
    this.#limits = call?.maxRetryAfterMs === undefined ? policy : { ...policy, maxRetryAfterMs: call.maxRetryAfterMs }
  }

  /** The run's state: plain JSON-serialisable data, replaced at each step (never mutated). */
  get state(): RunState {
    return this.#state
  }

  /** Why the run stopped, once it has (`undefined` while running and after a success). */
  get stopReason(): StopReason | undefined {
    return this.#stopReason
  }

  /**
   * Ends the run as aborted with `reason` (what `call` rejects with). `error`, when given,
   * is the attempt's own error that carried the abort (an `AbortRetryError` thrown by `fn`).
   */
  abort(reason: unknown, nowMs: number, error?: unknown): void {
    if (error !== undefined) this.#lastError = error
    this.#abortReason = reason
    this.stop('ABORTED', undefined, nowMs)
  }

  /** What the `sleep` handler and `beforeSleep` hooks see of the retry about to happen. */
  sleepContext(sleepMs: number, nowMs: number): SleepContext {
    const s = this.#state
    return {
      attempt: s.attempts,
      operation: s.operation ?? undefined,
      sleepMs,
      errorClass: s.lastClass ?? 'UNKNOWN',
      classification: this.#lastClassification ?? { errorClass: s.lastClass ?? 'UNKNOWN' },
      error: this.#lastCause === 'error' ? this.#lastError : undefined,
      result: this.#lastCause === 'result' ? this.#lastResult : undefined,
      remainingMs: s.deadlineAtMs === null ? Infinity : s.deadlineAtMs - nowMs,
    }
  }

  /** The tags every event of this run carries (policy tags, call tags, operation). */
  get tags(): EventTags {
    this.#tags ??= { ...this.policy.tags, ...this.#call?.tags, operation: this.state.operation ?? undefined }
    return this.#tags
  }

  /** True when some hook or diagnostics subscriber wants `event`; lets callers skip building payloads. */
  #wants(event: EventName): boolean {
    return this.#hasHooks || activeDiagnosticsChannel(event) !== undefined
  }

  /** Asks the throttle, then the breaker, for admission; returns a stop decision when one refuses. */
  admit(): CoreDecision | undefined {
    const throttle = this.#throttle
    if (throttle !== undefined && isolate(true, throttle.admit, throttle) === false) return this.refuse()
    const breaker = this.#breaker
    if (breaker === undefined) return undefined
    const admission = isolate(undefined, breaker.admit, breaker) as BreakerAdmission | undefined
    if (admission === undefined || admission === null) return undefined
    if (admission.transition !== undefined) this.#circuitEvent(admission.transition)
    if (!admission.allowed) {
      this.#stopReason = 'CIRCUIT_OPEN'
      this.#nextSleepMs = admission.retryInMs
      // The outcome says why, as Python redress does: `execute()` callers who log lastError see it.
      this.#lastError = new CircuitOpenError(undefined, { retryInMs: admission.retryInMs })
      this.#lastCause = 'error'
      this.#state = { ...this.#state, done: true }
      this.#emit(
        'circuit_rejected',
        0,
        { stop_reason: 'CIRCUIT_OPEN' satisfies StopReason, state: breaker.state },
        {
          retry_in_ms: admission.retryInMs,
        },
      )
      return { retry: false, stopReason: 'CIRCUIT_OPEN', nextSleepMs: admission.retryInMs }
    }
    this.#admission = admission
    return undefined
  }

  /**
   * Ends the run as refused by the throttle (`THROTTLED`, event `throttled`), before any attempt:
   * the call is never sent. The throttle counted the refusal itself and is told nothing more.
   */
  refuse(): CoreDecision {
    const throttle = this.#throttle
    this.#throttle = undefined
    const p = isolate(undefined, () => (throttle as { readonly rejectionProbability?: unknown }).rejectionProbability)
    const rejectionProbability = typeof p === 'number' ? p : undefined
    this.#stopReason = 'THROTTLED'
    this.#lastError = new ThrottledError(undefined, { rejectionProbability })
    this.#lastCause = 'error'
    this.#state = { ...this.#state, done: true }
    if (this.#wants('throttled')) {
      this.#emit(
        'throttled',
        0,
        { stop_reason: 'THROTTLED' satisfies StopReason },
        { rejection_probability: rejectionProbability },
      )
    }
    return { retry: false, stopReason: 'THROTTLED', nextSleepMs: undefined }
  }

  /**
   * Starts the next attempt at `nowMs`, or stops the run with `DEADLINE_EXCEEDED` when the
   * deadline has been reached (no attempt ever starts at or after it). Returns the attempt's
   * 1-based number, or `undefined` when the run stopped.
   */
  beginAttempt(nowMs: number): number | undefined {
    const deadline = this.#state.deadlineAtMs
    if (deadline !== null && nowMs >= deadline) {
      this.stop('DEADLINE_EXCEEDED', undefined, nowMs)
      return undefined
    }
    return this.startAttempt(nowMs)
  }

  /** Marks the start of the next attempt (already admitted); returns its 1-based number. */
  startAttempt(nowMs: number): number {
    this.#state = { ...this.#state, attempts: this.#state.attempts + 1 }
    this.#attemptStartMs = nowMs
    this.#settling = this.#state.attempts
    const n = this.#settling
    callHook(this.hooks[0]?.onAttemptStart, this.#startContext(n, nowMs))
    if (this.hooks[1] !== undefined) callHook(this.hooks[1].onAttemptStart, this.#startContext(n, nowMs))
    return this.state.attempts
  }

  /**
   * Starts a hedge at `nowMs` (already allowed by `mayHedge`): another attempt alongside the
   * `inFlight` ones, `afterMs` after the previous start. Emits `hedge`; returns its number.
   */
  startHedge(nowMs: number, afterMs: number, inFlight: number): number {
    const n = this.startAttempt(nowMs)
    this.#hedges++
    this.#hedgeAttempts ??= []
    this.#hedgeAttempts.push(n)
    if (this.#wants('hedge')) {
      this.#emit('hedge', 0, {}, { after_ms: afterMs, in_flight: inFlight, elapsed_ms: nowMs - this.state.startedAtMs })
    }
    return n
  }

  /** The state of the call's breaker (`undefined` without one); a breaker whose state cannot be read is not closed. */
  get breakerState(): CircuitState | undefined {
    const breaker = this.#breaker
    if (breaker === undefined) return undefined
    const state = isolate(undefined, () => breaker.state)
    return typeof state === 'string' ? state : 'open'
  }

  /** Hedges started so far. */
  get hedges(): number {
    return this.#hedges
  }

  /** The next record is about attempt `n`, started at `startMs` (hedged attempts settle in any order). */
  settleAttempt(n: number, startMs: number): void {
    this.#settling = n
    this.#attemptStartMs = startMs
  }

  /** Classifies a thrown value with the call's (or policy's) classifier. */
  classifyError(error: unknown): Classification {
    return safeClassify(this.classifier, error)
  }

  /** Classifies a returned value: `undefined` for a success, else the failure's classification. */
  classifyValue(value: unknown): Classification | undefined {
    return this.resultClassifier === undefined ? undefined : safeClassifyResult(this.resultClassifier, value)
  }

  /**
   * Records a value returned by the attempt; a success unless the result classifier objects.
   * `verdict`, when given, is what `classifyValue` already answered for it.
   */
  recordValue(
    value: unknown,
    nowMs: number,
    verdict?: { readonly failed: Classification | undefined },
  ): CoreDecision | undefined {
    const failed =
      verdict !== undefined
        ? verdict.failed
        : this.resultClassifier === undefined
          ? undefined
          : safeClassifyResult(this.resultClassifier, value)
    if (failed !== undefined) return this.recordFailure(failed, 'result', undefined, value, nowMs)
    // Only events and the timeline read the status of a success; skip the probing otherwise.
    if (this.timeline !== undefined || this.#wants('success')) this.#lastStatus = statusTagOf(value)
    this.#attemptEnd(nowMs, true, undefined, undefined, value)
    creditSuccess(this.policy, this.budget)
    this.#finishThrottle(undefined)
    this.#state = { ...this.#state, done: true }
    this.#timeline(nowMs, undefined, undefined, 'success', undefined, undefined, undefined)
    if (this.#wants('success')) {
      const elapsed = nowMs - this.state.startedAtMs
      this.#emit(
        'success',
        0,
        {},
        this.#hedges === 0 ? { elapsed_ms: elapsed } : { elapsed_ms: elapsed, winning_attempt: this.#settling },
      )
    }
    this.#finishBreaker({ kind: 'success' })
    return undefined
  }

  /**
   * Records a failed attempt (an error or a rejected result) and decides. A stop is
   * emitted here; a retry is only emitted by `confirmRetry`, because the driver may
   * still defer or abort it.
   */
  recordFailure(
    classification: Classification,
    cause: 'error' | 'result',
    error: unknown,
    result: unknown,
    nowMs: number,
    forcedStop?: StopReason,
  ): CoreDecision {
    const cls = this.#failed(classification, cause, error, result, nowMs)
    let decision: CoreDecision
    if (forcedStop !== undefined) {
      this.#state = { ...countFailure(this.#state, cls), done: true }
      decision = { retry: false, stopReason: forcedStop, nextSleepMs: undefined }
    } else {
      const out = decide(this.#limits, this.#state, { classification, cause }, nowMs, this.policy.random, this.budget)
      this.#state = out.state
      decision = out.decision
    }
    if (!decision.retry) this.stop(decision.stopReason, decision.nextSleepMs, nowMs)
    return decision
  }

  /**
   * Records an attempt that failed while another is still in flight (hedging): counted, fed to
   * observers and the budget, and in the timeline as `'wait'`, but not decided on — the retry
   * rules apply once no attempt is in flight, to the last failure.
   */
  recordWait(
    classification: Classification,
    cause: 'error' | 'result',
    error: unknown,
    result: unknown,
    nowMs: number,
  ): void {
    const cls = this.#failed(classification, cause, error, result, nowMs)
    this.#state = countFailure(this.#state, cls)
    this.#timeline(nowMs, cls, error, 'wait', undefined, undefined, undefined)
  }

  /**
   * What every failed attempt records, decided on or not: the last failure, `onAttemptEnd`, and
   * the failure told to the observers and the budget. Returns its class.
   */
  #failed(
    classification: Classification,
    cause: 'error' | 'result',
    error: unknown,
    result: unknown,
    nowMs: number,
  ): ErrorClass {
    const cls = classification.errorClass
    this.#lastError = error
    this.#lastResult = result
    this.#lastCause = cause
    this.#lastClassification = classification
    this.#lastStatus = statusTagOf(cause === 'error' ? error : result)
    this.#attemptEnd(nowMs, false, cls, error, result)
    for (const o of this.policy.observers) isolate(undefined, o.recordFailure, o, cls)
    if (this.budget !== undefined) isolate(undefined, this.budget.recordFailure, this.budget, cls)
    return cls
  }

  /**
   * Records an attempt aborted because another one won (hedging), with the reason its signal
   * aborted with: neither a success nor a failure to the budget, the observers or the breaker.
   */
  recordCancelled(reason: unknown, nowMs: number): void {
    this.#attemptEnd(nowMs, false, undefined, reason, undefined)
    // A cancelled attempt has no status of its own, whatever failed before it.
    this.#timeline(nowMs, undefined, reason, 'cancelled', undefined, undefined, undefined, null)
  }

  /** Emits the `retry` event for a retry the driver will carry out. */
  confirmRetry(delayMs: number, sleepSource: 'strategy' | 'retry_after', nowMs: number): void {
    this.#timeline(nowMs, this.state.lastClass ?? undefined, this.#lastError, 'retry', delayMs, sleepSource, undefined)
    if (!this.#wants('retry')) return
    this.#emit('retry', delayMs, this.#failureTags(), {
      sleep_source: sleepSource,
      retry_after_ms: this.#lastClassification?.retryAfterMs,
      elapsed_ms: nowMs - this.state.startedAtMs,
    })
  }

  /** Ends the run with a stop reason and emits its event (once). */
  stop(reason: StopReason, nextSleepMs: number | undefined, nowMs: number): void {
    if (this.#stopReason !== undefined) return
    this.#stopReason = reason
    this.#nextSleepMs = nextSleepMs
    this.#state = { ...this.#state, done: true }
    const isFailure = this.#lastCause !== undefined
    if (isFailure) {
      this.#timeline(nowMs, this.state.lastClass ?? undefined, this.#lastError, 'stop', undefined, undefined, reason)
    }
    if (this.#wants(STOP_EVENTS[reason])) {
      this.#emit(
        STOP_EVENTS[reason],
        nextSleepMs ?? 0,
        { ...this.#failureTags(), stop_reason: reason },
        {
          elapsed_ms: nowMs - this.state.startedAtMs,
          next_sleep_ms: nextSleepMs,
          retry_after_ms: this.#lastClassification?.retryAfterMs,
          reason: this.#lastClassification?.details?.['reason'],
        },
      )
    }
    const neutral = reason === 'ABORTED' || reason === 'SCHEDULED' || !isFailure
    const cls = this.state.lastClass
    // An aborted or deferred call, or one that never made an attempt, says nothing about the backend.
    if (neutral || cls === null) this.#throttle = undefined
    else this.#finishThrottle(cls)
    this.#finishBreaker(neutral || cls === null ? { kind: 'neutral' } : { kind: 'failure', errorClass: cls })
  }

  /** The outcome of the run so far, in the shape `execute` returns. */
  outcome<T>(ok: boolean, value: T | undefined, nowMs: number): RetryOutcome<T> {
    return {
      ok,
      value,
      stopReason: ok ? undefined : this.#stopReason,
      attempts: this.state.attempts,
      lastClass: this.state.lastClass ?? undefined,
      lastError: this.#lastError,
      lastResult: this.#lastResult,
      cause: this.#lastCause,
      elapsedMs: nowMs - this.state.startedAtMs,
      nextSleepMs: this.#nextSleepMs,
      timeline: this.timeline,
      abortReason: this.#abortReason,
      winningAttempt: ok ? this.#settling : undefined,
      hedges: this.#hedges === 0 ? undefined : this.#hedges,
    }
  }

  #failureTags(): EventTags {
    return failureTags(this.state.lastClass, this.#lastCause, this.#lastError, this.#lastStatus)
  }

  #emit(event: EventName, sleepMs: number, extra: EventTags, fields: Readonly<Record<string, unknown>>): void {
    const channel = activeDiagnosticsChannel(event)
    if (!this.#hasHooks && channel === undefined) return
    const message = this.#lastCause === 'error' ? errorMessageOf(this.#lastError) : undefined
    emitEvent(
      this.hooks,
      event,
      this.state.attempts,
      sleepMs,
      eventTags(this.tags, extra, this.#lastStatus),
      message === undefined ? fields : { ...fields, error: message },
      channel,
    )
  }

  /** A breaker transition; `errorClass` is the class of the failure that caused it, when one did. */
  #circuitEvent(state: CircuitState, errorClass?: ErrorClass): void {
    this.#emit(CIRCUIT_EVENTS[state], 0, errorClass === undefined ? { state } : { state, class: errorClass }, {})
  }

  /** Tells the throttle, once, how the call ended: a success (`undefined`) or its last failure's class. */
  #finishThrottle(errorClass: ErrorClass | undefined): void {
    const throttle = this.#throttle
    if (throttle === undefined) return
    this.#throttle = undefined
    if (errorClass === undefined) isolate(undefined, throttle.recordSuccess, throttle)
    else isolate(undefined, throttle.recordFailure, throttle, errorClass)
  }

  #finishBreaker(outcome: BreakerOutcome): void {
    const breaker = this.#breaker
    const admission = this.#admission
    if (breaker === undefined || admission === undefined) return
    this.#admission = undefined
    const changed = isolate(undefined, breaker.record, breaker, outcome, admission) as CircuitState | undefined
    if (changed !== undefined) this.#circuitEvent(changed, outcome.kind === 'failure' ? outcome.errorClass : undefined)
  }

  #startContext(attempt: number, nowMs: number): { attempt: number; operation: string | undefined; elapsedMs: number } {
    return {
      attempt,
      operation: this.state.operation ?? undefined,
      elapsedMs: nowMs - this.state.startedAtMs,
    }
  }

  #attemptEnd(nowMs: number, ok: boolean, errorClass: ErrorClass | undefined, error: unknown, value: unknown): void {
    for (const h of this.hooks) {
      if (h.onAttemptEnd === undefined) continue
      callHook(h.onAttemptEnd, {
        ...this.#startContext(this.#settling, this.#attemptStartMs),
        ok,
        errorClass,
        error,
        value,
        durationMs: nowMs - this.#attemptStartMs,
      })
    }
  }

  #timeline(
    nowMs: number,
    errorClass: ErrorClass | undefined,
    error: unknown,
    decision: TimelineEntry['decision'],
    sleepMs: number | undefined,
    sleepSource: TimelineEntry['sleepSource'],
    stopReason: StopReason | undefined,
    status: number | null = this.#lastStatus ?? null,
  ): void {
    if (this.timeline === undefined || this.state.attempts === 0) return
    const s = this.state
    const attempt = this.#settling
    const entry: TimelineEntry = {
      attempt,
      startMs: this.#attemptStartMs - s.startedAtMs,
      durationMs: nowMs - this.#attemptStartMs,
      errorClass,
      status: status ?? undefined,
      error: decision === 'success' ? undefined : error,
      decision,
      sleepMs,
      sleepSource,
      stopReason,
    }
    this.timeline.push(this.#hedgeAttempts?.includes(attempt) === true ? { ...entry, hedge: true } : entry)
  }
}
