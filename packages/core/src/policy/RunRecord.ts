import type { Classification } from '../Classification.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import type { StopReason } from '../events/StopReason.ts'
import type { CallOptions, RetryOutcome, SleepContext, TimelineEntry } from './RetryOptions.ts'
import type { RunState } from './RunState.ts'
import type { ResolvedPolicy } from './resolveOptions.ts'

/**
 * What a run remembers of its attempts: its state, the last failure, the attempt being recorded,
 * why and when it stopped, its hedges and its timeline; and what it shows of them (`outcome`,
 * `sleepContext`). `RunEvents` extends it with what the run tells hooks and subscribers, `Run`
 * with the decisions: one object per run, each part in its own module.
 */
export class RunRecord {
  /** The run's state: replaced (never mutated) at each step. */
  protected current: RunState
  readonly policy: ResolvedPolicy
  readonly timeline: TimelineEntry[] | undefined
  protected lastError: unknown = undefined
  protected lastResult: unknown = undefined
  protected lastCause: 'error' | 'result' | undefined = undefined
  protected lastStatus: number | undefined = undefined
  protected lastClassification: Classification | undefined = undefined
  protected stoppedWith: StopReason | undefined = undefined
  protected nextSleepMs: number | undefined = undefined
  protected abortReason: unknown = undefined
  protected attemptStartMs = 0
  // The attempt being recorded: the latest started, or (hedging) whichever settled.
  protected settling = 0
  protected hedgeCount = 0
  // Attempts started as hedges, for the timeline; made by the first hedge.
  #hedgeAttempts: number[] | undefined

  constructor(policy: ResolvedPolicy, call: CallOptions | undefined, state: RunState) {
    this.current = state
    this.policy = policy
    this.timeline = call?.captureTimeline === true ? [] : undefined
  }

  /** The run's state: plain JSON-serialisable data, replaced at each step (never mutated). */
  get state(): RunState {
    return this.current
  }

  /** Why the run stopped, once it has (`undefined` while running and after a success). */
  get stopReason(): StopReason | undefined {
    return this.stoppedWith
  }

  /** Hedges started so far. */
  get hedges(): number {
    return this.hedgeCount
  }

  /** What the `sleep` handler and `beforeSleep` hooks see of the retry about to happen. */
  sleepContext(sleepMs: number, nowMs: number): SleepContext {
    const s = this.current
    return {
      attempt: s.attempts,
      operation: s.operation ?? undefined,
      sleepMs,
      errorClass: s.lastClass ?? 'UNKNOWN',
      classification: this.lastClassification ?? { errorClass: s.lastClass ?? 'UNKNOWN' },
      error: this.lastCause === 'error' ? this.lastError : undefined,
      result: this.lastCause === 'result' ? this.lastResult : undefined,
      remainingMs: s.deadlineAtMs === null ? Infinity : s.deadlineAtMs - nowMs,
    }
  }

  /** The outcome of the run so far, in the shape `execute` returns. */
  outcome<T>(ok: boolean, value: T | undefined, nowMs: number): RetryOutcome<T> {
    return {
      ok,
      value,
      stopReason: ok ? undefined : this.stoppedWith,
      attempts: this.state.attempts,
      lastClass: this.state.lastClass ?? undefined,
      lastError: this.lastError,
      lastResult: this.lastResult,
      cause: this.lastCause,
      elapsedMs: nowMs - this.state.startedAtMs,
      nextSleepMs: this.nextSleepMs,
      timeline: this.timeline,
      abortReason: this.abortReason,
      winningAttempt: ok ? this.settling : undefined,
      hedges: this.hedgeCount === 0 ? undefined : this.hedgeCount,
    }
  }

  /** Records a stop before any attempt was sent (a gate refused the call), with the error that says why. */
  protected stopUnsent(reason: StopReason, error: unknown, nextSleepMs: number | undefined): void {
    this.stoppedWith = reason
    this.nextSleepMs = nextSleepMs
    this.lastError = error
    this.lastCause = 'error'
    this.current = { ...this.current, done: true }
  }

  /** Counts attempt `n` as a hedge (marked so in the timeline). */
  protected markHedge(n: number): void {
    this.hedgeCount++
    this.#hedgeAttempts ??= []
    this.#hedgeAttempts.push(n)
  }

  /** Adds the attempt being recorded to the timeline, when the call captures one. */
  protected addToTimeline(
    nowMs: number,
    errorClass: ErrorClass | undefined,
    error: unknown,
    decision: TimelineEntry['decision'],
    sleepMs: number | undefined,
    sleepSource: TimelineEntry['sleepSource'],
    stopReason: StopReason | undefined,
    status: number | null = this.lastStatus ?? null,
  ): void {
    if (this.timeline === undefined || this.state.attempts === 0) return
    const s = this.state
    const attempt = this.settling
    const entry: TimelineEntry = {
      attempt,
      startMs: this.attemptStartMs - s.startedAtMs,
      durationMs: nowMs - this.attemptStartMs,
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
