import type { CircuitState } from '../breaker/CircuitBreakerLike.ts'
import type { RetryBudget } from '../budget/RetryBudget.ts'
import type { Classification, Classifier, ResultClassifier } from '../Classification.ts'
import { safeClassify, safeClassifyResult } from '../classify/safeClassify.ts'
import type { StopReason } from '../events/StopReason.ts'
import { creditSuccess } from './creditSuccess.ts'
import { type CoreDecision, countFailure, decide } from './decide.ts'
import type { CallOptions, RetryOutcome, SleepContext } from './RetryOptions.ts'
import { RunGates } from './RunGates.ts'
import { RunRecord } from './RunRecord.ts'
import type { RunState } from './RunState.ts'
import { recordFailed } from './recordFailed.ts'
import { budgetOf, type ResolvedPolicy } from './resolveOptions.ts'
import { runOutcome } from './runOutcome.ts'
import { admitRun, refuseRun, stopRun } from './runStops.ts'

/**
 * One run: the only stateful shell around the pure decision core, shared by `call`/`execute`
 * (born lazily, on the first failure or when something listens) and the step API, so both
 * emit the same events for the same outcomes. It classifies, asks `decide`, feeds budget and
 * observers, and stops; what it has seen and tells (the last failure, timeline, hooks, events)
 * is its `RunRecord`, and its throttle and breaker are its `RunGates`. It never waits. Its
 * `state` is an immutable `RunState`, replaced (never mutated) at each step.
 */
export class Run {
  /** The run's state: plain JSON-serialisable data, replaced at each step (never mutated). */
  state: RunState
  readonly policy: ResolvedPolicy
  readonly #classifier: Classifier
  readonly #resultClassifier: ResultClassifier | undefined
  readonly budget: RetryBudget | undefined
  // The record, the sleep before the stop and the abort's reason are @internal, read by runOutcome.ts.
  readonly r: RunRecord
  // @internal, like the three fields below: read by runStops.ts.
  readonly gates: RunGates
  /** Why the run stopped, once it has (`undefined` while running and after a success). */
  stopReason: StopReason | undefined = undefined
  nextSleepMs: number | undefined = undefined
  abortReason: unknown = undefined
  /** Hedges started so far. */
  hedges = 0
  #limits: ResolvedPolicy & { maxRetryAfterMs: number | undefined }

  constructor(policy: ResolvedPolicy, call: CallOptions | undefined, state: RunState) {
    this.policy = policy
    this.state = state
    this.#classifier = call?.classifier ?? policy.classifier
    this.#resultClassifier = call?.resultClassifier ?? policy.resultClassifier
    this.budget = budgetOf(policy, call)
    this.r = new RunRecord(policy, call)
    this.gates = new RunGates(policy, call, (state, errorClass) => this.r.circuit(this.state, state, errorClass))
    this.#limits = call?.maxRetryAfterMs === undefined ? policy : { ...policy, maxRetryAfterMs: call.maxRetryAfterMs }
  }

  /**
   * Ends the run as aborted with `reason` (what `call` rejects with). `error`, when given,
   * is the attempt's own error that carried the abort (an `AbortRetryError` thrown by `fn`).
   */
  abort(reason: unknown, nowMs: number, error?: unknown): void {
    if (error !== undefined) this.r.abortedBy(error)
    this.abortReason = reason
    this.stop('ABORTED', undefined, nowMs)
  }

  /** What the `sleep` handler and `beforeSleep` hooks see of the retry about to happen. */
  sleepContext(sleepMs: number, nowMs: number): SleepContext {
    return this.r.sleepContext(this.state, sleepMs, nowMs)
  }

  /** Asks the throttle, then the breaker, for admission; returns a stop decision when one refuses. */
  admit(): CoreDecision | undefined {
    return admitRun(this)
  }

  /**
   * Ends the run as refused by the throttle (`THROTTLED`, event `throttled`), before any attempt:
   * the call is never sent. The throttle counted the refusal itself and is told nothing more.
   */
  refuse(): CoreDecision {
    return refuseRun(this)
  }

  /**
   * Starts the next attempt at `nowMs`, or stops the run with `DEADLINE_EXCEEDED` when the
   * deadline has been reached (no attempt ever starts at or after it). Returns the attempt's
   * 1-based number, or `undefined` when the run stopped.
   */
  beginAttempt(nowMs: number): number | undefined {
    const deadline = this.state.deadlineAtMs
    if (deadline !== null && nowMs >= deadline) {
      this.stop('DEADLINE_EXCEEDED', undefined, nowMs)
      return undefined
    }
    return this.startAttempt(nowMs)
  }

  /** Marks the start of the next attempt (already admitted); returns its 1-based number. */
  startAttempt(nowMs: number): number {
    const s = { ...this.state, attempts: this.state.attempts + 1 }
    this.state = s
    this.r.started(s, s.attempts, nowMs)
    return s.attempts
  }

  /**
   * Starts a hedge at `nowMs` (already allowed by `mayHedge`): another attempt alongside the
   * `inFlight` ones, `afterMs` after the previous start. Emits `hedge`; returns its number.
   */
  startHedge(nowMs: number, afterMs: number, inFlight: number): number {
    const n = this.startAttempt(nowMs)
    this.hedges++
    this.r.hedged(this.state, n, afterMs, inFlight, nowMs)
    return n
  }

  /** The state of the call's breaker (`undefined` without one); a breaker whose state cannot be read is not closed. */
  get breakerState(): CircuitState | undefined {
    return this.gates.breakerState
  }

  /** The next record is about attempt `n`, started at `startMs` (hedged attempts settle in any order). */
  settleAttempt(n: number, startMs: number): void {
    this.r.settle(n, startMs)
  }

  /** Classifies a thrown value with the call's (or policy's) classifier. */
  classifyError(error: unknown): Classification {
    return safeClassify(this.#classifier, error)
  }

  /** Classifies a returned value: `undefined` for a success, else the failure's classification. */
  classifyValue(value: unknown): Classification | undefined {
    return this.#resultClassifier === undefined ? undefined : safeClassifyResult(this.#resultClassifier, value)
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
    this.r.returned(this.state, value, nowMs)
    creditSuccess(this.policy, this.budget)
    this.gates.finishThrottle(undefined)
    this.state = { ...this.state, done: true }
    this.r.succeeded(this.state, nowMs, this.hedges !== 0)
    this.gates.finishBreaker({ kind: 'success' })
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
    const cls = recordFailed(this, classification, cause, error, result, nowMs)
    let decision: CoreDecision
    if (forcedStop !== undefined) {
      this.state = { ...countFailure(this.state, cls), done: true }
      decision = { retry: false, stopReason: forcedStop, nextSleepMs: undefined }
    } else {
      const out = decide(this.#limits, this.state, { classification, cause }, nowMs, this.policy.random, this.budget)
      this.state = out.state
      decision = out.decision
    }
    if (!decision.retry) this.stop(decision.stopReason, decision.nextSleepMs, nowMs)
    return decision
  }

  /**
   * Records a failed attempt and ends the run as aborted with `reason` (`abortIf` answered true
   * before the decision): nothing is decided, so no retry is asked of the budget.
   */
  recordAborted(
    classification: Classification,
    cause: 'error' | 'result',
    error: unknown,
    result: unknown,
    nowMs: number,
    reason: unknown,
  ): void {
    this.abortReason = reason
    this.recordFailure(classification, cause, error, result, nowMs, 'ABORTED')
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
    const cls = recordFailed(this, classification, cause, error, result, nowMs)
    this.state = countFailure(this.state, cls)
    this.r.waited(this.state, cls, error, nowMs)
  }

  /**
   * Records an attempt aborted because another one won (hedging), with the reason its signal
   * aborted with: neither a success nor a failure to the budget, the observers or the breaker.
   */
  recordCancelled(reason: unknown, nowMs: number): void {
    this.r.cancelled(this.state, reason, nowMs)
  }

  /** Emits the `retry` event for a retry the driver will carry out. */
  confirmRetry(delayMs: number, sleepSource: 'strategy' | 'retry_after', nowMs: number): void {
    this.r.retrying(this.state, delayMs, sleepSource, nowMs)
  }

  /** Ends the run with a stop reason and emits its event (once). */
  stop(reason: StopReason, nextSleepMs: number | undefined, nowMs: number): void {
    stopRun(this, reason, nextSleepMs, nowMs)
  }

  /** The outcome of the run so far, in the shape `execute` returns. */
  outcome<T>(ok: boolean, value: T | undefined, nowMs: number): RetryOutcome<T> {
    return runOutcome(this, ok, value, nowMs)
  }
}
