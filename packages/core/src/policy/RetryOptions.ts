import type { CircuitBreakerLike } from '../breaker/CircuitBreakerLike.ts'
import type { RetryBudget } from '../budget/RetryBudget.ts'
import type { Classification, Classifier, ResultClassifier } from '../Classification.ts'
import type { Clock, RandomSource, Sleeper } from '../Clock.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import type { EventName } from '../events/EventName.ts'
import type { StopReason } from '../events/StopReason.ts'
import type { AnyStrategy } from '../strategies/Strategy.ts'

/**
 * Tags passed with every event. Keys are snake_case and stable: `operation`, `class`,
 * `err`, `stop_reason`, `cause`, `state`; adapters add `method`, `host`, `status`.
 */
export type EventTags = Readonly<Record<string, string | number | undefined>>

/**
 * The metric hook: one call per event.
 * @param event the event name (see `EventName`)
 * @param attempt the 1-based attempt the event is about (0 before any attempt)
 * @param sleepMs the sleep chosen before the next attempt, in ms (0 unless `retry`/`scheduled`)
 * @param tags low-cardinality tags
 */
export type MetricHook = (event: EventName, attempt: number, sleepMs: number, tags: EventTags) => void

/** The log hook: one call per event, with the tags plus `attempt`, `sleep_ms`, `elapsed_ms` and details. */
export type LogHook = (event: EventName, fields: Readonly<Record<string, unknown>>) => void

/** Passed to `onAttemptStart`. */
export interface AttemptStartContext {
  /** The attempt about to start (1-based). */
  readonly attempt: number
  /** The operation name, if any. */
  readonly operation: string | undefined
  /** Milliseconds since the run started. */
  readonly elapsedMs: number
}

/** Passed to `onAttemptEnd`. */
export interface AttemptEndContext extends AttemptStartContext {
  /** True when the attempt produced a value the result classifier accepted. */
  readonly ok: boolean
  /** The failure's class, when it failed. */
  readonly errorClass: ErrorClass | undefined
  /** The error thrown, when it threw. */
  readonly error: unknown
  /** The value returned, when it returned. */
  readonly value: unknown
  /** How long the attempt took, in ms. */
  readonly durationMs: number
}

/** Passed to `beforeSleep` and to the `sleep` handler. */
export interface SleepContext {
  /** The attempt that just failed (1-based). */
  readonly attempt: number
  /** The operation name, if any. */
  readonly operation: string | undefined
  /** The sleep the strategy chose, in ms. */
  readonly sleepMs: number
  /** The failure's class. */
  readonly errorClass: ErrorClass
  /** The failure's full classification. */
  readonly classification: Classification
  /** The error thrown by the failed attempt (undefined when a result failed). */
  readonly error: unknown
  /** The value returned by the failed attempt (undefined when it threw). */
  readonly result: unknown
  /** Milliseconds left before the deadline. */
  readonly remainingMs: number
}

/**
 * Decides what to do with a computed sleep: `'sleep'` (the default) waits and
 * retries; `'defer'` stops the run with `SCHEDULED` so an external scheduler can retry
 * after `nextSleepMs`; `'abort'` stops the run with `ABORTED`.
 */
export type SleepHandler = (ctx: SleepContext) => 'sleep' | 'defer' | 'abort' | Promise<'sleep' | 'defer' | 'abort'>

/** The hooks that may be given on the policy, per call, or both (both are called). */
export interface RetryHooks {
  /** Called once per event. A hook that throws is isolated: the call goes on unchanged. */
  onMetric?: MetricHook | undefined
  /** Called once per event with structured fields. Isolated like `onMetric`. */
  onLog?: LogHook | undefined
  /** Called before each attempt. Isolated. */
  onAttemptStart?: ((ctx: AttemptStartContext) => void) | undefined
  /** Called after each attempt. Isolated. */
  onAttemptEnd?: ((ctx: AttemptEndContext) => void) | undefined
  /** Called after a retry is decided, before the sleep. Isolated. */
  beforeSleep?: ((ctx: SleepContext) => void) | undefined
}

/**
 * Options of a `RetryPolicy`. Every field is optional; defaults are in `RETRY_DEFAULTS`.
 * Durations are milliseconds; attempts are 1-based and count attempts, not retries.
 */
export interface RetryOptions extends RetryHooks {
  /** Sorts thrown values into classes. @default defaultClassifier */
  classifier?: Classifier | undefined
  /**
   * The fallback strategy for every class without its own entry in `strategies`.
   * @default decorrelatedJitter() when neither `strategy` nor `strategies` is given
   */
  strategy?: AnyStrategy | undefined
  /** A strategy per class; a class with none (and no `strategy`) stops with `NO_STRATEGY`. */
  strategies?: Partial<Record<ErrorClass, AnyStrategy>> | undefined
  /** Total time budget of a run across all attempts and sleeps, in ms. `Infinity` for none. @default 60000 */
  deadlineMs?: number | undefined
  /** Maximum attempts (not retries), including the first. @default 6 */
  maxAttempts?: number | undefined
  /** At most this many attempts may end in `UNKNOWN`. @default 2 */
  maxUnknownAttempts?: number | undefined
  /** At most `perClassMaxAttempts[c]` attempts may end in class `c`. @default {} */
  perClassMaxAttempts?: Partial<Record<ErrorClass, number>> | undefined
  /** Per-attempt timeout in ms, enforced (the attempt's signal aborts), clipped to the remaining deadline. @default undefined (none) */
  attemptTimeoutMs?: number | undefined
  /**
   * A server-requested delay (`retryAfterMs` of a classification) above this many ms
   * ends the run at once with `DEADLINE_EXCEEDED` instead of waiting. @default undefined (no cap; httpPolicy uses 60000)
   */
  maxRetryAfterMs?: number | undefined
  /** A retry budget shared across calls (see `Budget`, `TokenBudget`). @default undefined (none) */
  budget?: RetryBudget | null | undefined
  /** A circuit breaker; records one outcome per run. @default undefined (none) */
  circuitBreaker?: CircuitBreakerLike | undefined
  /** Calls a returned value a failure of some class; `undefined` means success. @default undefined */
  resultClassifier?: ResultClassifier | undefined
  /** Decides between sleeping, deferring and aborting once a retry is decided. @default always 'sleep' */
  sleep?: SleepHandler | undefined
  /** Replaces only the backoff sleep. @default the clock's sleep, or a real timer */
  sleeper?: Sleeper | undefined
  /** The time source; with `sleep`, all waiting goes through it. @default systemClock */
  clock?: Clock | undefined
  /** The random source for jitter, in [0, 1). @default Math.random */
  random?: RandomSource | undefined
  /** Checked before each attempt and after each sleep; `true` aborts the run with `AbortRetryError`. */
  abortIf?: (() => boolean) | undefined
  /** Tags added to every event of this policy. */
  tags?: EventTags | undefined
}

/** Options of one `call`/`execute`. Hooks add to the policy's; overrides replace for this call. */
export interface CallOptions extends RetryHooks {
  /** The operation name, used as the `operation` tag. Keep it low-cardinality. */
  operation?: string | undefined
  /** Aborting it cuts the attempt in flight and any sleep short, and rejects with `signal.reason`. */
  signal?: AbortSignal | undefined
  /** Checked before each attempt and after each sleep; `true` aborts the run. */
  abortIf?: (() => boolean) | undefined
  /** Replaces the policy's classifier for this call. */
  classifier?: Classifier | undefined
  /** Replaces the policy's result classifier for this call. */
  resultClassifier?: ResultClassifier | undefined
  /** Replaces the policy's budget for this call; `null` turns it off. */
  budget?: RetryBudget | null | undefined
  /**
   * Replaces the policy's circuit breaker for this call — e.g. the breaker of the request's
   * origin (`httpPolicy({ breakerFor })` does this for the adapters).
   */
  circuitBreaker?: CircuitBreakerLike | undefined
  /** Replaces the policy's `maxRetryAfterMs` for this call. */
  maxRetryAfterMs?: number | undefined
  /** Tags added to every event of this call. */
  tags?: EventTags | undefined
  /** Record a timeline of attempts in the outcome (`execute` only). @default false */
  captureTimeline?: boolean | undefined
}

/** What `fn` receives on each attempt. */
export interface AttemptContext {
  /** The attempt number, 1-based. */
  readonly attempt: number
  /** Aborts when the caller aborts, the attempt times out or the deadline passes. */
  readonly signal: AbortSignal
  /**
   * Calls `listener` once with the reason when the attempt is abandoned (the caller
   * aborts, the attempt times out or the deadline passes) — at once if it already was.
   * Unlike reading `signal`, it creates no `AbortController`: cheaper for adapters that
   * abort through their transport's own controller. Returns a function that removes
   * the listener.
   */
  onAbort(listener: (reason: unknown) => void): () => void
}

/** One line of an outcome's timeline. */
export interface TimelineEntry {
  /** 1-based attempt. */
  readonly attempt: number
  /** Start of the attempt, ms since the run started. */
  readonly startMs: number
  /** Duration of the attempt in ms. */
  readonly durationMs: number
  /** The failure's class, or undefined on success. */
  readonly errorClass: ErrorClass | undefined
  /** The HTTP status seen, if any. */
  readonly status: number | undefined
  /** The error thrown, if any. */
  readonly error: unknown
  /** What followed: a retry after `sleepMs`, a stop, or success. */
  readonly decision: 'success' | 'retry' | 'stop'
  /** The sleep before the next attempt, in ms (retries only). */
  readonly sleepMs: number | undefined
  /** Where the sleep came from: the strategy or the server's `Retry-After`. */
  readonly sleepSource: 'strategy' | 'retry_after' | undefined
  /** Why the run stopped (stops only). */
  readonly stopReason: StopReason | undefined
}

/** What `execute` returns; it never throws for a failed run. */
export interface RetryOutcome<T> {
  /** True when the run succeeded. */
  readonly ok: boolean
  /** The value, when ok. */
  readonly value: T | undefined
  /** Why the run stopped, when not ok. */
  readonly stopReason: StopReason | undefined
  /** Attempts made. */
  readonly attempts: number
  /** Class of the last failure. */
  readonly lastClass: ErrorClass | undefined
  /** The last error thrown. */
  readonly lastError: unknown
  /** The last value the result classifier rejected. */
  readonly lastResult: unknown
  /** Whether the last failure was an error or a result. */
  readonly cause: 'error' | 'result' | undefined
  /** Total elapsed ms. */
  readonly elapsedMs: number
  /** The sleep that would have come next, when the run stopped before it (deadline, defer). */
  readonly nextSleepMs: number | undefined
  /** Attempt-by-attempt record, with `captureTimeline: true`. */
  readonly timeline?: readonly TimelineEntry[] | undefined
  /**
   * When `stopReason` is `ABORTED`: what the run was aborted with — the caller's
   * `signal.reason`, or the `AbortRetryError` of `abortIf`, the sleep handler or `fn`.
   */
  readonly abortReason?: unknown
}

/** The defaults of `RetryPolicy`, resolved once. */
export const RETRY_DEFAULTS: {
  readonly deadlineMs: 60_000
  readonly maxAttempts: 6
  readonly maxUnknownAttempts: 2
} = Object.freeze({ deadlineMs: 60_000, maxAttempts: 6, maxUnknownAttempts: 2 } as const)
