import { INSPECT } from '../describeValue.ts'
import { operationFnError } from '../guard/validate.ts'
import { hedgeRequested } from '../hedge/hedgeOption.ts'
import { successSubscribed } from '../observability/diagnosticsPublisher.ts'
import {
  CALL_FINISH,
  type CallFinish,
  type CallSink,
  type DeferredCall,
  EXECUTE_FINISH,
  sinkAttempts,
} from './callFinish.ts'
import { checkCallOptions, isQuietCall } from './checkCallOptions.ts'
import { checkRunState } from './checkRunState.ts'
import { drive } from './drive.ts'
import { PendingCall } from './PendingCall.ts'
import { INTERNALS, isRetryPolicy, type PolicyInternals } from './policyInternals.ts'
import type { AttemptContext, CallOptions, RetryOptions, RetryOutcome } from './RetryOptions.ts'
import { Run } from './Run.ts'
import { initialRunState, type RunState } from './RunState.ts'
import { type ResolvedPolicy, resolveOptions } from './resolveOptions.ts'
import { makeStepRun, type StepRun } from './StepRun.ts'

/** An operation run under a policy: receives the attempt number and a signal. */
export type Operation<T> = (ctx: AttemptContext) => T | PromiseLike<T>

/** Options of `policy.start()` (the step API). */
export interface StartOptions extends Omit<CallOptions, 'signal' | 'abortIf' | 'captureTimeline'> {}

/**
 * A retry policy: classifies each failure, picks that class's backoff, and stops on
 * caps, the deadline, the budget or the breaker — reporting every decision through
 * `onMetric`/`onLog`. Policies are immutable and safe to share.
 *
 * A call costs almost nothing until something fails: a quiet first attempt (no hook,
 * breaker, abortIf, timeline or diagnostics subscriber) builds no run state, no timer and no
 * signal; the run is born on the first failure (see `drive`).
 *
 * @example
 * const policy = new RetryPolicy({ strategy: decorrelatedJitter({ maxMs: 10_000 }), maxAttempts: 4 })
 * const user = await policy.call(({ signal }) => getUser(id, { signal }), { operation: 'getUser' })
 */
export class RetryPolicy {
  readonly #resolved: ResolvedPolicy
  readonly #options: RetryOptions
  // A subclass that wraps `drive` (RecordingPolicy) must see every call.
  readonly #fast: boolean

  /** @throws TypeError/RangeError naming the option, for any invalid option. */
  constructor(options?: RetryOptions) {
    this.#resolved = resolveOptions(options)
    this.#options = { ...options }
    this.#fast = this.#resolved.quiet && this.drive === RetryPolicy.prototype.drive
    // The adapter runner's entry, under a Symbol.for key (see `PolicyInternals`): not in the
    // public type, shared by every copy of core with the same protocol. Set per instance, not in
    // a static block, so that a bundle which never builds a policy can drop the class.
    Object.defineProperty(this, INTERNALS, { value: this.#internals })
    // `console.log` shows a first attempt's context as `toJSON` does. Set here, once, not beside the
    // class: isolatedDeclarations refuses the computed name in it, and a module-level statement
    // would keep the whole engine in a bundle that imports only `ErrorClass`.
    if (!Object.hasOwn(PendingCall.prototype, INSPECT)) {
      Object.defineProperty(PendingCall.prototype, INSPECT, { value: PendingCall.prototype.toJSON })
    }
  }

  #internals = (): PolicyInternals => ({
    resolved: this.#resolved,
    runDeferred: (fn, deferred, finish) => this.#start(fn, undefined, deferred, finish),
    runSink: (deferred, finish, sink) => this.#startSink(deferred, finish, sink),
  })

  /** The options this policy was built from (a copy). */
  get options(): RetryOptions {
    return { ...this.#options }
  }

  /** A new policy with these options changed. */
  with(overrides: RetryOptions): RetryPolicy {
    return new RetryPolicy({ ...this.#options, ...overrides })
  }

  /**
   * Runs `fn` with retries. Resolves with its value; rejects with the original last
   * error (same object) whatever stopped the run, with `signal.reason` when the
   * caller aborts, with an `AbortRetryError` for other aborts, with a
   * `RetryExhaustedError` when a result stopped the run or the retry was deferred,
   * and with a `CircuitOpenError` when the breaker is open.
   */
  call<T>(fn: Operation<T>, options?: CallOptions): Promise<T> {
    return this.#start(fn, options, undefined, CALL_FINISH) as Promise<T>
  }

  /** Runs `fn` with retries and returns the outcome; never throws for a failed run. */
  execute<T>(fn: Operation<T>, options?: CallOptions): Promise<RetryOutcome<T>> {
    return this.#start(fn, options, undefined, EXECUTE_FINISH) as Promise<RetryOutcome<T>>
  }

  /**
   * `policy instanceof RetryPolicy` is true for a policy from any compatible copy of
   * `@redress/core` (ESM and CJS builds, duplicate installs), like `isRetryPolicy`.
   */
  static [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` was asked about (a subclass inherits this method)
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    // biome-ignore lint/complexity/noThisInStatic: only RetryPolicy itself accepts any branded policy
    return this === RetryPolicy && isRetryPolicy(value)
  }

  /** `#start` for a deferred call run through a sink: no promise unless the call cannot start quietly. */
  #startSink<R>(deferred: DeferredCall, finish: CallFinish<R>, sink: CallSink<R>): void {
    if (this.#quietDeferred(deferred)) {
      new PendingCall(this.#resolved, undefined, undefined, deferred, finish, sink).run()
      return
    }
    this.drive(sinkAttempts(sink as CallSink<unknown>), deferred.build())
      .then((outcome) => finish.outcome(outcome, deferred))
      .then(
        (value) => sink.resolved(value),
        (error: unknown) => sink.rejected(error),
      )
  }

  /** Whether a deferred call can start quietly (as `#start` decides for one). */
  #quietDeferred(deferred: DeferredCall): boolean {
    return (
      this.#fast &&
      deferred.hedged !== true &&
      deferred.gated !== true &&
      deferred.signal?.aborted !== true &&
      !successSubscribed()
    )
  }

  #start<R>(
    fn: Operation<unknown>,
    options: CallOptions | undefined,
    deferred: DeferredCall | undefined,
    finish: CallFinish<R>,
  ): Promise<R> {
    const notFn = operationFnError('policy.call(fn)', fn)
    if (notFn !== undefined) return Promise.reject(notFn)
    let call: CallOptions | undefined
    try {
      call = options === undefined ? undefined : checkCallOptions(options)
    } catch (error) {
      return Promise.reject(error)
    }
    const signal = deferred === undefined ? call?.signal : deferred.signal
    if (
      this.#fast &&
      (call === undefined || isQuietCall(call)) &&
      // A hedged call races attempts: it needs the full driver from its first attempt.
      (deferred === undefined ? !hedgeRequested(this.#resolved.hedge, call?.hedge) : deferred.hedged !== true) &&
      deferred?.gated !== true &&
      signal?.aborted !== true &&
      !successSubscribed()
    ) {
      return new PendingCall(this.#resolved, fn, call, deferred, finish).start()
    }
    const full = deferred === undefined ? call : deferred.build()
    return this.drive(fn, full).then((outcome) => finish.outcome(outcome, deferred))
  }

  /**
   * The full async driver behind `call` and `execute` when a call cannot start quietly (a hook,
   * breaker, abortIf or timeline is present). Subclasses (e.g. `RecordingPolicy`) may wrap it;
   * a subclass that does sees every call.
   */
  protected drive<T>(fn: Operation<T>, options: CallOptions | undefined): Promise<RetryOutcome<T>> {
    return drive<T>(this.#resolved, fn, options, undefined)
  }

  /**
   * Binds an operation name (and other call options) for a batch of calls:
   * `const doRetry = policy.context({ operation: 'batch' }); await doRetry(fetchUser, 'user-1')`.
   */
  context(
    options?: CallOptions,
  ): <A extends unknown[], T>(fn: (...args: A) => T | PromiseLike<T>, ...args: A) => Promise<T> {
    const bound = options === undefined ? undefined : checkCallOptions(options)
    return <A extends unknown[], T>(fn: (...args: A) => T | PromiseLike<T>, ...args: A): Promise<T> =>
      this.call(() => fn(...args), bound)
  }

  /**
   * Starts a run driven by an external scheduler (the step API): report each
   * attempt's outcome with `run.recordFailure(error)` / `run.recordSuccess(value)` and
   * schedule the next attempt after the returned `delayMs`. Time is read from the
   * policy's `clock` when one was given, else from `Date.now()` (so a state carried to
   * another process keeps its deadline).
   */
  start(options?: StartOptions): StepRun {
    const call = options === undefined ? undefined : checkCallOptions(options)
    const now = this.#stepNow()
    return makeStepRun(
      new Run(this.#resolved, call, initialRunState(call?.operation, now, this.#resolved.deadlineMs)),
      () => this.#stepNow(),
      false,
    )
  }

  /** Continues a run from `run.state` (e.g. parsed from JSON after a restart). */
  resume(state: RunState, options?: StartOptions): StepRun {
    const call = options === undefined ? undefined : checkCallOptions(options)
    return makeStepRun(new Run(this.#resolved, call, checkRunState(state)), () => this.#stepNow(), true)
  }

  #stepNow(): number {
    return this.#options.clock === undefined ? Date.now() : this.#resolved.clock.now()
  }
}

/**
 * `AsyncRetryPolicy` is `RetryPolicy`: in JavaScript every policy is async, so there
 * is one mental model by construction.
 */
export const AsyncRetryPolicy: typeof RetryPolicy = RetryPolicy
/** `AsyncRetryPolicy` is `RetryPolicy`. */
export type AsyncRetryPolicy = RetryPolicy
