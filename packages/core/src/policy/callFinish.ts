import type { CallOptions } from './RetryOptions.ts'
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
