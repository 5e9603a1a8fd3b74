import type { BreakerOutcome, CircuitBreakerLike, CircuitState } from '../breaker/CircuitBreakerLike.ts'
import type { RetryBudget } from '../budget/RetryBudget.ts'
import type { Classification, Classifier, ResultClassifier } from '../Classification.ts'
import { safeClassify, safeClassifyResult } from '../classify/safeClassify.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import { CircuitOpenError } from '../errors/CircuitOpenError.ts'
import { ThrottledError } from '../errors/ThrottledError.ts'
import type { StopReason } from '../events/StopReason.ts'
import { isolate } from '../guard/isolate.ts'
import { creditSuccess } from './creditSuccess.ts'
import { type CoreDecision, countFailure, decide } from './decide.ts'
import type { CallOptions } from './RetryOptions.ts'
import { RunEvents } from './RunEvents.ts'
import { RunGates } from './RunGates.ts'
import type { RunState } from './RunState.ts'
import { budgetOf, type ResolvedPolicy, throttleOf } from './resolveOptions.ts'
import { statusTagOf } from './runTags.ts'

/**
 * One run: the only stateful shell around the pure decision core, shared by `call`/`execute`
 * (born lazily, on the first failure or when something listens) and the step API, so both
 * emit the same events for the same outcomes. It classifies, asks `decide`, feeds budget,
 * observers and gates (breaker, throttle), and reports through `RunEvents`, which it extends;
 * it never waits. Its `state` is an immutable `RunState`, replaced (never mutated) at each step.
 */
export class Run extends RunEvents {
  readonly classifier: Classifier
  readonly resultClassifier: ResultClassifier | undefined
  readonly budget: RetryBudget | undefined
  // The call's breaker and throttle; undefined when it has neither.
  readonly #gates: RunGates | undefined
  #limits: ResolvedPolicy & { maxRetryAfterMs: number | undefined }

  constructor(policy: ResolvedPolicy, call: CallOptions | undefined, state: RunState) {
    super(policy, call, state)
    this.classifier = call?.classifier ?? policy.classifier
    this.resultClassifier = call?.resultClassifier ?? policy.resultClassifier
    this.budget = budgetOf(policy, call)
    const breaker = call?.circuitBreaker ?? policy.circuitBreaker
    const throttle = throttleOf(policy, call)
    this.#gates = breaker === undefined && throttle === undefined ? undefined : new RunGates(breaker, throttle)
    this.#limits = call?.maxRetryAfterMs === undefined ? policy : { ...policy, maxRetryAfterMs: call.maxRetryAfterMs }
  }

  /**
   * Ends the run as aborted with `reason` (what `call` rejects with). `error`, when given,
   * is the attempt's own error that carried the abort (an `AbortRetryError` thrown by `fn`).
   */
  abort(reason: unknown, nowMs: number, error?: unknown): void {
    if (error !== undefined) this.lastError = error
    this.abortReason = reason
    this.stop('ABORTED', undefined, nowMs)
  }

  /** Asks the throttle, then the breaker, for admission; returns a stop decision when one refuses. */
  admit(): CoreDecision | undefined {
    const gates = this.#gates
    if (gates === undefined) return undefined
    if (!gates.throttleAdmits()) return this.refuse()
    const admission = gates.breakerAdmission()
    if (admission === undefined) return undefined
    if (admission.transition !== undefined) this.circuitEvent(admission.transition)
    if (admission.allowed) return undefined
    // The outcome says why, as Python redress does: `execute()` callers who log lastError see it.
    this.stopUnsent(
      'CIRCUIT_OPEN',
      new CircuitOpenError(undefined, { retryInMs: admission.retryInMs }),
      admission.retryInMs,
    )
    this.reportCircuitRejected((gates.breaker as CircuitBreakerLike).state, admission.retryInMs)
    return { retry: false, stopReason: 'CIRCUIT_OPEN', nextSleepMs: admission.retryInMs }
  }

  /**
   * Ends the run as refused by the throttle (`THROTTLED`, event `throttled`), before any attempt:
   * the call is never sent. The throttle counted the refusal itself and is told nothing more.
   */
  refuse(): CoreDecision {
    const rejectionProbability = this.#gates?.refused()
    this.stopUnsent('THROTTLED', new ThrottledError(undefined, { rejectionProbability }), this.nextSleepMs)
    this.reportThrottled(rejectionProbability)
    return { retry: false, stopReason: 'THROTTLED', nextSleepMs: undefined }
  }

  /**
   * Starts the next attempt at `nowMs`, or stops the run with `DEADLINE_EXCEEDED` when the
   * deadline has been reached (no attempt ever starts at or after it). Returns the attempt's
   * 1-based number, or `undefined` when the run stopped.
   */
  beginAttempt(nowMs: number): number | undefined {
    const deadline = this.current.deadlineAtMs
    if (deadline !== null && nowMs >= deadline) {
      this.stop('DEADLINE_EXCEEDED', undefined, nowMs)
      return undefined
    }
    return this.startAttempt(nowMs)
  }

  /** Marks the start of the next attempt (already admitted); returns its 1-based number. */
  startAttempt(nowMs: number): number {
    this.current = { ...this.current, attempts: this.current.attempts + 1 }
    this.attemptStartMs = nowMs
    this.settling = this.current.attempts
    this.attemptStart(this.settling, nowMs)
    return this.state.attempts
  }

  /**
   * Starts a hedge at `nowMs` (already allowed by `mayHedge`): another attempt alongside the
   * `inFlight` ones, `afterMs` after the previous start. Emits `hedge`; returns its number.
   */
  startHedge(nowMs: number, afterMs: number, inFlight: number): number {
    const n = this.startAttempt(nowMs)
    this.hedgeStarted(n, nowMs, afterMs, inFlight)
    return n
  }

  /** The state of the call's breaker (`undefined` without one); a breaker whose state cannot be read is not closed. */
  get breakerState(): CircuitState | undefined {
    return this.#gates?.breakerState
  }

  /** The next record is about attempt `n`, started at `startMs` (hedged attempts settle in any order). */
  settleAttempt(n: number, startMs: number): void {
    this.settling = n
    this.attemptStartMs = startMs
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
    const failed = verdict !== undefined ? verdict.failed : this.classifyValue(value)
    if (failed !== undefined) return this.recordFailure(failed, 'result', undefined, value, nowMs)
    // Only events and the timeline read the status of a success; skip the probing otherwise.
    if (this.timeline !== undefined || this.wants('success')) this.lastStatus = statusTagOf(value)
    this.attemptEnd(nowMs, true, undefined, undefined, value)
    creditSuccess(this.policy, this.budget)
    this.#gates?.finishThrottle(undefined)
    this.current = { ...this.current, done: true }
    this.reportSuccess(nowMs)
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
      this.current = { ...countFailure(this.current, cls), done: true }
      decision = { retry: false, stopReason: forcedStop, nextSleepMs: undefined }
    } else {
      const out = decide(this.#limits, this.current, { classification, cause }, nowMs, this.policy.random, this.budget)
      this.current = out.state
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
    this.current = countFailure(this.current, cls)
    this.addToTimeline(nowMs, cls, error, 'wait', undefined, undefined, undefined)
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
    this.lastError = error
    this.lastResult = result
    this.lastCause = cause
    this.lastClassification = classification
    this.lastStatus = statusTagOf(cause === 'error' ? error : result)
    this.attemptEnd(nowMs, false, cls, error, result)
    for (const o of this.policy.observers) isolate(undefined, o.recordFailure, o, cls)
    if (this.budget !== undefined) isolate(undefined, this.budget.recordFailure, this.budget, cls)
    return cls
  }

  /** Ends the run with a stop reason and emits its event (once). */
  stop(reason: StopReason, nextSleepMs: number | undefined, nowMs: number): void {
    if (this.stoppedWith !== undefined) return
    this.stoppedWith = reason
    this.nextSleepMs = nextSleepMs
    this.current = { ...this.current, done: true }
    const isFailure = this.lastCause !== undefined
    this.reportStop(reason, nextSleepMs, nowMs)
    const neutral = reason === 'ABORTED' || reason === 'SCHEDULED' || !isFailure
    const cls = this.state.lastClass
    // An aborted or deferred call, or one that never made an attempt, says nothing about the backend.
    if (neutral || cls === null) this.#gates?.dropThrottle()
    else this.#gates?.finishThrottle(cls)
    this.#finishBreaker(neutral || cls === null ? { kind: 'neutral' } : { kind: 'failure', errorClass: cls })
  }

  /** Tells the breaker, once, how the call it admitted ended, and reports the transition it made. */
  #finishBreaker(outcome: BreakerOutcome): void {
    const changed = this.#gates?.finishBreaker(outcome)
    if (changed !== undefined) this.circuitEvent(changed, outcome.kind === 'failure' ? outcome.errorClass : undefined)
  }
}
