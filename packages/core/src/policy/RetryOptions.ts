import type { CircuitBreakerLike } from '../breaker/CircuitBreakerLike.ts'
import type { RetryBudget } from '../budget/RetryBudget.ts'
import type { Classifier, ResultClassifier } from '../Classification.ts'
import type { Clock, RandomSource, Sleeper } from '../Clock.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import type { CallHedgeOptions, HedgeOptions } from '../hedge/HedgeOptions.ts'
import type { AnyStrategy } from '../strategies/Strategy.ts'
import type { AdmissionThrottle } from '../throttle/AdmissionThrottle.ts'
import type { EventTags, RetryHooks, SleepHandler } from './hooks.ts'

export type {
  AttemptEndContext,
  AttemptStartContext,
  EventTags,
  LogHook,
  MetricHook,
  RetryHooks,
  SleepContext,
  SleepHandler,
} from './hooks.ts'
export type { RetryOutcome, TimelineEntry } from './RetryOutcome.ts'

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
  /**
   * A client-side throttle (see `AdaptiveThrottle`) asked before each call's first attempt; a
   * refused call is never sent and stops with `THROTTLED` (a `ThrottledError`). It is told how
   * each call ended. `httpPolicy` keeps one per origin. @default undefined (none)
   */
  throttle?: AdmissionThrottle | null | undefined
  /** Calls a returned value a failure of some class; `undefined` means success. @default undefined */
  resultClassifier?: ResultClassifier | undefined
  /**
   * Hedged attempts: when the attempts in flight have not settled after a delay (`afterMs`, or
   * the running `quantile` of the operation's recent latency), another attempt starts alongside
   * them; the first result the policy accepts wins and the others are aborted through their own
   * signals. Each hedge counts toward `maxAttempts`, needs `budget.tryAcquire()` and a closed
   * breaker; the deadline bounds them all. `false` or `null`: off. See `HedgeOptions`.
   * @default undefined (off)
   * @example new RetryPolicy({ hedge: { afterMs: 50 } })
   */
  hedge?: HedgeOptions | false | null | undefined
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
  /**
   * Replaces the policy's throttle for this call — e.g. the throttle of the request's origin
   * (`httpPolicy()` does this for the adapters); `null` turns it off.
   */
  throttle?: AdmissionThrottle | null | undefined
  /** Replaces the policy's `maxRetryAfterMs` for this call. */
  maxRetryAfterMs?: number | undefined
  /**
   * Hedging for this call: fields given replace the policy's `hedge` (an object turns it on with
   * defaults for the rest, even when the policy has none); `false` or `null` turns it off.
   * `fn` receives each attempt's own `signal`, which aborts when another attempt wins.
   */
  hedge?: CallHedgeOptions | false | null | undefined
  /** Tags added to every event of this call. */
  tags?: EventTags | undefined
  /** Record a timeline of attempts in the outcome (`execute` only). @default false */
  captureTimeline?: boolean | undefined
}

/** What `fn` receives on each attempt. */
export interface AttemptContext {
  /** The attempt number, 1-based. */
  readonly attempt: number
  /** Aborts when the caller aborts, the attempt times out, the deadline passes or another (hedged) attempt wins. */
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

/** The defaults of `RetryPolicy`, resolved once. */
export const RETRY_DEFAULTS: {
  readonly deadlineMs: 60_000
  readonly maxAttempts: 6
  readonly maxUnknownAttempts: 2
} = Object.freeze({ deadlineMs: 60_000, maxAttempts: 6, maxUnknownAttempts: 2 } as const)
