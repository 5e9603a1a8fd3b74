import { AbortRetryError, CircuitOpenError, RetryExhaustedError, type RetryOutcome, StopReason } from '@redress/core'

/**
 * What a failed run that ended without a response to hand back rejects with — the same values
 * `policy.call` rejects with: the caller's abort reason, a `CircuitOpenError`, a
 * `RetryExhaustedError` for a deferred retry, else the original last error (same object).
 */
export function runFailure(outcome: RetryOutcome<unknown>, abortReason: unknown): unknown {
  switch (outcome.stopReason) {
    case StopReason.CIRCUIT_OPEN:
      return new CircuitOpenError(undefined, { retryInMs: outcome.nextSleepMs })
    case StopReason.ABORTED:
      return abortReason ?? new AbortRetryError()
    case StopReason.SCHEDULED:
      return new RetryExhaustedError({
        stopReason: StopReason.SCHEDULED,
        attempts: outcome.attempts,
        lastClass: outcome.lastClass,
        lastError: outcome.lastError,
        lastResult: outcome.lastResult,
        nextSleepMs: outcome.nextSleepMs,
      })
    default:
      return outcome.lastError
  }
}
