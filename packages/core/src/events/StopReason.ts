// The engine writes stop reasons as literals (`'ABORTED'`, checked by the `StopReason` type), not
// `StopReason.ABORTED`: a bundle then carries this table only when the application imports it.
/**
 * Why a run stopped without succeeding. Each value equals its name.
 */
export const StopReason: {
  /** `maxAttempts` attempts were made. */
  readonly MAX_ATTEMPTS_GLOBAL: 'MAX_ATTEMPTS_GLOBAL'
  /** `perClassMaxAttempts[class]` attempts ended in one class. */
  readonly MAX_ATTEMPTS_PER_CLASS: 'MAX_ATTEMPTS_PER_CLASS'
  /** The total deadline passed, or the next wait would reach it. */
  readonly DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED'
  /** `maxUnknownAttempts` attempts ended in `UNKNOWN`. */
  readonly MAX_UNKNOWN_ATTEMPTS: 'MAX_UNKNOWN_ATTEMPTS'
  /** The failure's class is never retried (AUTH, PERMISSION, PERMANENT), or the classification said `retryable: false`. */
  readonly NON_RETRYABLE_CLASS: 'NON_RETRYABLE_CLASS'
  /** No strategy is configured for the failure's class. */
  readonly NO_STRATEGY: 'NO_STRATEGY'
  /** The retry budget refused a retry. */
  readonly BUDGET_EXHAUSTED: 'BUDGET_EXHAUSTED'
  /** The `sleep` handler deferred the retry to an external scheduler. */
  readonly SCHEDULED: 'SCHEDULED'
  /** The caller's signal, `abortIf`, the `sleep` handler or an `AbortRetryError` stopped the run. */
  readonly ABORTED: 'ABORTED'
  /** The circuit breaker is open and rejected the call. */
  readonly CIRCUIT_OPEN: 'CIRCUIT_OPEN'
  /** The client-side throttle refused the call before its first attempt (it was never sent). */
  readonly THROTTLED: 'THROTTLED'
} = Object.freeze({
  MAX_ATTEMPTS_GLOBAL: 'MAX_ATTEMPTS_GLOBAL',
  MAX_ATTEMPTS_PER_CLASS: 'MAX_ATTEMPTS_PER_CLASS',
  DEADLINE_EXCEEDED: 'DEADLINE_EXCEEDED',
  MAX_UNKNOWN_ATTEMPTS: 'MAX_UNKNOWN_ATTEMPTS',
  NON_RETRYABLE_CLASS: 'NON_RETRYABLE_CLASS',
  NO_STRATEGY: 'NO_STRATEGY',
  BUDGET_EXHAUSTED: 'BUDGET_EXHAUSTED',
  SCHEDULED: 'SCHEDULED',
  ABORTED: 'ABORTED',
  CIRCUIT_OPEN: 'CIRCUIT_OPEN',
  THROTTLED: 'THROTTLED',
} as const)

/** One of the values of {@link StopReason}. */
export type StopReason = (typeof StopReason)[keyof typeof StopReason]
