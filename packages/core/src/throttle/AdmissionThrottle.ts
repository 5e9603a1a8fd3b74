import type { ErrorClass } from '../ErrorClass.ts'

/**
 * The interface the engine calls on a client-side throttle: an admission check before a call's
 * **first** attempt (retries are the budget's business), and how each admitted call ended — one
 * outcome per call, not per attempt, as for a circuit breaker.
 * Implement it to bring your own. Calls are synchronous and must never throw (one that does is
 * ignored: the call is admitted).
 */
export interface AdmissionThrottle {
  /**
   * Asked once before a call's first attempt (never before a retry). `false` refuses the call
   * locally: it is never sent, and stops with `THROTTLED` (a `ThrottledError`).
   */
  admit(): boolean
  /** Called once when an admitted call succeeded (on its first attempt or after retries). */
  recordSuccess(): void
  /**
   * Called once when an admitted call failed for good, with its last failure's class. Not
   * called for a call that was aborted, deferred or refused by the breaker: those say nothing
   * about the backend.
   */
  recordFailure(errorClass: ErrorClass): void
}
