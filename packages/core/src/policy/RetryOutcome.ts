import type { ErrorClass } from '../ErrorClass.ts'
import type { StopReason } from '../events/StopReason.ts'

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
  /**
   * What followed: a retry after `sleepMs`, a stop, or success; with hedging, `'wait'` (the
   * attempt failed while another was still in flight, so the run waited for it) or `'cancelled'`
   * (another attempt won and this one was aborted).
   */
  readonly decision: 'success' | 'retry' | 'stop' | 'wait' | 'cancelled'
  /** The sleep before the next attempt, in ms (retries only). */
  readonly sleepMs: number | undefined
  /** Where the sleep came from: the strategy or the server's `Retry-After`. */
  readonly sleepSource: 'strategy' | 'retry_after' | undefined
  /** Why the run stopped (stops only). */
  readonly stopReason: StopReason | undefined
  /** True for an attempt started as a hedge, alongside another still in flight. */
  readonly hedge?: boolean | undefined
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
  /**
   * When ok: the 1-based attempt whose value the run returned. With hedging it need not be the
   * last attempt started (`attempts`).
   */
  readonly winningAttempt?: number | undefined
  /** Hedges started (see the `hedge` option); each is also counted in `attempts`. */
  readonly hedges?: number | undefined
}
