import type { ErrorClass } from '../ErrorClass.ts'

/**
 * The interface the engine calls on a retry budget. Implement it to bring your own
 * (e.g. one shared through Redis). Calls are synchronous and must never throw.
 */
export interface RetryBudget {
  /** Asked once before each retry (never before a first attempt). `false` stops the run with `BUDGET_EXHAUSTED`. */
  tryAcquire(): boolean
  /** Called after each attempt that succeeded. */
  recordSuccess(): void
  /** Called after each attempt that failed, with the failure's class. */
  recordFailure(errorClass: ErrorClass): void
}
