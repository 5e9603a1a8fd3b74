import type { ErrorClass } from '../ErrorClass.ts'
import type { StopReason } from '../events/StopReason.ts'
import { hasBrand } from './brand.ts'
import { RedressError } from './RedressError.ts'

const BRAND: unique symbol = Symbol.for('@redress/core/RetryExhaustedError') as never

/** The facts carried by a {@link RetryExhaustedError}. */
export interface RetryExhaustedInfo {
  /** Why the run stopped. */
  readonly stopReason: StopReason
  /** Attempts made (1-based count). */
  readonly attempts: number
  /** Class of the last failure, if any. */
  readonly lastClass: ErrorClass | undefined
  /** The last error thrown, if the last attempt threw. */
  readonly lastError: unknown
  /** The last value returned, if the last attempt returned one the result classifier rejected. */
  readonly lastResult: unknown
  /** The sleep in ms that would have come next (set when deferred or cut by the deadline). */
  readonly nextSleepMs: number | undefined
}

/**
 * `call` rejects with this when a run stopped on a *result* (the result classifier
 * called a value a failure) or when the `sleep` handler deferred the retry. Stops on
 * a thrown error reject with that error itself.
 */
export class RetryExhaustedError extends RedressError implements RetryExhaustedInfo {
  readonly stopReason: StopReason
  readonly attempts: number
  readonly lastClass: ErrorClass | undefined
  readonly lastError: unknown
  readonly lastResult: unknown
  readonly nextSleepMs: number | undefined

  constructor(info: RetryExhaustedInfo) {
    super(
      `retry stopped: ${info.stopReason} after ${info.attempts} attempt(s)${info.lastClass ? ` (last class ${info.lastClass})` : ''}`,
      'ERR_REDRESS_RETRY_EXHAUSTED',
      info.lastError === undefined ? undefined : { cause: info.lastError },
    )
    this.name = 'RetryExhaustedError'
    this.stopReason = info.stopReason
    this.attempts = info.attempts
    this.lastClass = info.lastClass
    this.lastError = info.lastError
    this.lastResult = info.lastResult
    this.nextSleepMs = info.nextSleepMs
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/** True for a `RetryExhaustedError` from any copy of the package. */
export function isRetryExhaustedError(value: unknown): value is RetryExhaustedError {
  return hasBrand(value, BRAND)
}
