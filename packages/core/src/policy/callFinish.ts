import type { AttemptContext, CallOptions } from './RetryOptions.ts'
import type { RetryOutcome } from './RetryOutcome.ts'
import { rejectionOf } from './rejectionOf.ts'
import type { ResolvedPolicy } from './resolveOptions.ts'

/**
 * Call options an adapter defers until they are needed: the success path reads only `signal`,
 * `isSuccess` and `recordSuccess`; `build()` makes the full `CallOptions` (classifiers, tags,
 * operation, budget, hooks) once, the moment an attempt fails. Internal to core and its
 * adapter layer.
 */
export interface DeferredCall {
  /** The caller's signal, if any. */
  readonly signal: AbortSignal | undefined
  /** True when `value` is a success the built result classifier would accept (e.g. a 2xx response). */
  isSuccess(value: unknown): boolean
  /** Credits the budget (and the throttle) the built options would use with a success. Never throws. */
  recordSuccess(): void
  /**
   * Optional: asks the call's own throttle (a per-origin one, which `build()` then gives the
   * call) to admit its first attempt: `false` refuses the call, which is then never sent;
   * `undefined` means the call has no throttle of its own (the policy's applies). Never throws.
   */
  admit?(): boolean | undefined
  /** The full call options of this call. Called at most once. */
  build(): CallOptions
  /**
   * Optional: true when `build()` gives the call a circuit breaker of its own (a per-origin one),
   * which must admit the call before its first attempt: such a call never starts quietly.
   */
  readonly gated?: boolean | undefined
  /**
   * Optional: true when `build()` gives the call a `hedge` (hedged attempts race from the first,
   * so such a call never starts quietly). Read on every call: it must cost next to nothing.
   */
  readonly hedged?: boolean | undefined
  /**
   * Optional: receives the first attempt's canceller, for a caller that aborts through something
   * other than `signal` (undici's controller). After `build()`, the built `signal` takes over.
   */
  attach?(call: Cancellable): void
}

/** A first attempt that can be cancelled from outside, as the caller's signal would. */
export interface Cancellable {
  /** Ends the attempt (if still pending) as aborted with `reason`. */
  cancel(reason: unknown): void
}

/**
 * The caller of a call run without promises (see `PolicyInternals.runSink`): it sends the first
 * attempt itself and reports its outcome to the call, and receives the call's result through
 * `resolved`/`rejected`. Any later attempt (after a failure, or every attempt of a call that
 * cannot start quietly) is sent through `attempt`, as `policy.call`'s `fn`. Internal to core and
 * its adapter layer.
 */
export interface CallSink<R> {
  /**
   * Sends the first attempt of a quiet call: reports its outcome with `call.attemptSucceeded`
   * (a value the call accepts, handled at once), `call.attemptSettled` or `call.attemptFailed`
   * (handled a microtask later, as a promise reaction would be). Returns what the call aborts
   * when it gives up on the attempt (its timeout, the deadline, the caller's abort).
   */
  first(call: FirstAttemptCall): Abandonable
  /** Sends any other attempt; resolves with its value (as `policy.call`'s `fn`). */
  attempt(ctx: AttemptContext): Promise<unknown>
  /** The call resolved with `value` (called once, or `rejected` is). */
  resolved(value: R): void
  /** The call rejected with `error`. */
  rejected(error: unknown): void
}

/** A first attempt sent by a {@link CallSink}: what the call aborts when it gives up on it. */
export interface Abandonable {
  /** The call gave up on the attempt: abort it; whatever it reports from now on is ignored. */
  abandon(reason: unknown): void
}

/** The first attempt's context under a {@link CallSink}: where the attempt reports its outcome. */
export interface FirstAttemptCall extends AttemptContext {
  /** The attempt's value, a success the call accepts (e.g. a 2xx response): handled at once. */
  attemptSucceeded(value: unknown): void
  /** The attempt's value, whatever it is: handled a microtask later. */
  attemptSettled(value: unknown): void
  /** The attempt failed with `error`: handled a microtask later. */
  attemptFailed(error: unknown): void
}

/** How a call's result is handed to its caller: on the fast path, and from a full run's outcome. */
export interface CallFinish<R> {
  /** A first-attempt success; `startMs` is undefined when it settled before its deadline was armed. */
  success(value: unknown, startMs: number | undefined, p: ResolvedPolicy): R
  /** The outcome of a full run (of `deferred`, when the call was deferred); throws to reject. */
  outcome(outcome: RetryOutcome<unknown>, deferred: DeferredCall | undefined): R
}

/** `policy.call`: the value, or the rejection `call` documents. */
export const CALL_FINISH: CallFinish<unknown> = {
  success: (value) => value,
  outcome(outcome) {
    if (outcome.ok) return outcome.value
    throw rejectionOf(outcome)
  },
}

/** `policy.execute`: always an outcome. */
export const EXECUTE_FINISH: CallFinish<RetryOutcome<unknown>> = {
  success: (value, startMs, p) => successOutcome(value, startMs === undefined ? 0 : p.clock.now() - startMs),
  outcome: (outcome) => outcome,
}

/** The outcome of a call whose first attempt succeeded. */
function successOutcome<T>(value: T, elapsedMs: number): RetryOutcome<T> {
  return {
    ok: true,
    value,
    stopReason: undefined,
    attempts: 1,
    lastClass: undefined,
    lastError: undefined,
    lastResult: undefined,
    cause: undefined,
    elapsedMs,
    nextSleepMs: undefined,
    timeline: undefined,
    abortReason: undefined,
    winningAttempt: 1,
    hedges: undefined,
  }
}

/** The attempts after the first of a call run through `sink`. */
export function sinkAttempts(sink: CallSink<unknown>): (ctx: AttemptContext) => Promise<unknown> {
  return (ctx) => sink.attempt(ctx)
}
