import type { StopReason } from '../events/StopReason.ts'
import type { RetryOutcome } from './RetryOptions.ts'
import type { Run } from './Run.ts'
import type { RunState } from './RunState.ts'

/**
 * The step API's answer after each attempt: retry after `delayMs`, or stop.
 * A success answers `{ retry: false, stopReason: undefined }`.
 */
export type StepDecision =
  | { readonly retry: true; readonly delayMs: number }
  | { readonly retry: false; readonly stopReason: StopReason | undefined }

/**
 * One run driven by an external scheduler (a queue, cron, a workflow engine). It
 * uses the same decision core and emits the same events as `policy.call`, but never
 * waits: you schedule the next attempt after `delayMs`.
 *
 * @example
 * const run = job.state ? policy.resume(job.state) : policy.start({ operation: 'sync' })
 * try { await work(); run.recordSuccess() }
 * catch (err) {
 *   const d = run.recordFailure(err)
 *   if (d.retry) queue.enqueue({ ...job, state: run.state }, d.delayMs)
 * }
 */
export class StepRun {
  readonly #core: Run
  readonly #now: () => number
  #admitted = false

  // Private: runs are made by `policy.start()`/`policy.resume()` (through `makeStepRun`), so the
  // shipped types never mention the engine's `Run`.
  private constructor(core: Run, now: () => number, resumed: boolean) {
    this.#core = core
    this.#now = now
    // A resumed run was admitted by the breaker when it started, in another process.
    this.#admitted = resumed
  }

  /** The run's state: plain JSON-serialisable data. Persist it to resume elsewhere. */
  get state(): RunState {
    // The run replaces its state at each step and never mutates it: no copy needed.
    return this.#core.state
  }

  /** True once the run succeeded or stopped. */
  get done(): boolean {
    return this.#core.state.done
  }

  /** Call before each attempt (optional: `recordFailure`/`recordSuccess` call it for you). Returns a stop when the breaker rejects or the deadline has passed. */
  beginAttempt(): StepDecision | undefined {
    this.#assertOpen()
    const now = this.#now()
    if (!this.#admitted) {
      this.#admitted = true
      const rejected = this.#core.admit()
      if (rejected !== undefined && !rejected.retry) return { retry: false, stopReason: rejected.stopReason }
    }
    if (this.#pendingAttempt) return undefined
    if (this.#core.beginAttempt(now) === undefined) return { retry: false, stopReason: 'DEADLINE_EXCEEDED' }
    this.#pendingAttempt = true
    return undefined
  }

  #pendingAttempt = false

  /** Reports that the current attempt threw `error`; answers retry-after or stop. */
  recordFailure(error: unknown): StepDecision {
    const early = this.beginAttempt()
    if (early !== undefined) return early
    this.#pendingAttempt = false
    const now = this.#now()
    const d = this.#core.recordFailure(this.#core.classifyError(error), 'error', error, undefined, now)
    if (!d.retry) return { retry: false, stopReason: d.stopReason }
    this.#core.confirmRetry(d.delayMs, d.sleepSource, now)
    return { retry: true, delayMs: d.delayMs }
  }

  /** Reports that the current attempt returned `value`; a result classifier may still call it a failure. */
  recordSuccess(value?: unknown): StepDecision {
    const early = this.beginAttempt()
    if (early !== undefined) return early
    this.#pendingAttempt = false
    const now = this.#now()
    const d = this.#core.recordValue(value, now)
    if (d === undefined) return { retry: false, stopReason: undefined }
    if (!d.retry) return { retry: false, stopReason: d.stopReason }
    this.#core.confirmRetry(d.delayMs, d.sleepSource, now)
    return { retry: true, delayMs: d.delayMs }
  }

  /** Ends the run as aborted (event `aborted`, stop reason `ABORTED`). */
  abort(): StepDecision {
    this.#assertOpen()
    this.#core.stop('ABORTED', undefined, this.#now())
    return { retry: false, stopReason: 'ABORTED' }
  }

  /** The outcome so far, in the shape `policy.execute` returns. */
  outcome<T = unknown>(): RetryOutcome<T> {
    const ok = this.#core.state.done && this.#core.stopReason === undefined
    return this.#core.outcome<T>(ok, undefined, this.#now())
  }

  #assertOpen(): void {
    if (this.#core.state.done) throw new Error('this run has already ended; start a new one')
  }
}

/** Makes a `StepRun` (its constructor is private, so that its types stay out of the public `.d.ts`). */
export function makeStepRun(core: Run, now: () => number, resumed: boolean): StepRun {
  return new (StepRun as unknown as new (core: Run, now: () => number, resumed: boolean) => StepRun)(core, now, resumed)
}
