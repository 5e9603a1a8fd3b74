import { AbortRetryError } from '../errors/AbortRetryError.ts'
import { CircuitOpenError, isCircuitOpenError } from '../errors/CircuitOpenError.ts'
import { RetryExhaustedError } from '../errors/RetryExhaustedError.ts'
import { isThrottledError, ThrottledError } from '../errors/ThrottledError.ts'
import type { RetryOutcome } from './RetryOptions.ts'

/**
 * The value `policy.call` rejects with for a failed outcome of `execute`: the original last
 * error (same object) when an error stopped the run; the abort reason (`signal.reason`,
 * or an `AbortRetryError`) for `ABORTED`; a `CircuitOpenError` for `CIRCUIT_OPEN`; a
 * `ThrottledError` for `THROTTLED`; a
 * `RetryExhaustedError` when a result stopped the run or the retry was deferred.
 * Adapters and other drivers use it to reject exactly as `call` does.
 */
export function rejectionOf(outcome: RetryOutcome<unknown>): unknown {
  switch (outcome.stopReason) {
    case 'CIRCUIT_OPEN':
      return isCircuitOpenError(outcome.lastError)
        ? outcome.lastError
        : new CircuitOpenError(undefined, { retryInMs: outcome.nextSleepMs })
    case 'THROTTLED':
      return isThrottledError(outcome.lastError) ? outcome.lastError : new ThrottledError()
    case 'ABORTED':
      return outcome.abortReason ?? new AbortRetryError()
    case 'SCHEDULED':
      return exhausted(outcome)
    default:
      return outcome.cause === 'error' ? outcome.lastError : exhausted(outcome)
  }
}

function exhausted(o: RetryOutcome<unknown>): RetryExhaustedError {
  return new RetryExhaustedError({
    stopReason: o.stopReason ?? 'ABORTED',
    attempts: o.attempts,
    lastClass: o.lastClass,
    lastError: o.lastError,
    lastResult: o.lastResult,
    nextSleepMs: o.nextSleepMs,
  })
}
