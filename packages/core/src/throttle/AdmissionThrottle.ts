import type { ErrorClass } from '../ErrorClass.ts'

/**
 * The interface the engine calls on a client-side throttle: an admission check before a call's
 * **first** attempt (retries are the budget's business), and the outcome of every attempt.
 * Implement it to bring your own. Calls are synchronous and must never throw (one that does is
 * ignored: the call is admitted).
 */
export interface AdmissionThrottle {
  /**
   * Asked once before a call's first attempt (never before a retry). `false` refuses the call
   * locally: it is never sent, and stops with `THROTTLED` (a `ThrottledError`).
   */
  admit(): boolean
  /** Called after each attempt that succeeded. */
  recordSuccess(): void
  /** Called after each attempt that failed, with the failure's class. */
  recordFailure(errorClass: ErrorClass): void
}
