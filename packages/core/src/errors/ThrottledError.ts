import { hasBrand } from './brand.ts'
import { RedressError } from './RedressError.ts'

const BRAND: unique symbol = Symbol.for('@redress/core/ThrottledError') as never

/**
 * The client-side throttle refused the call: the backend has been rejecting most recent calls,
 * so this one was failed locally, never sent (stop reason `THROTTLED`). Retrying it at once is
 * what the throttle is there to prevent.
 */
export class ThrottledError extends RedressError {
  /** The probability with which calls were being refused when this one was, in [0, 1], when known. */
  readonly rejectionProbability: number | undefined

  constructor(
    message = 'refused by the client-side throttle: the backend is rejecting most calls',
    options?: { rejectionProbability?: number | undefined },
  ) {
    super(message, 'ERR_REDRESS_THROTTLED')
    this.name = 'ThrottledError'
    this.rejectionProbability = options?.rejectionProbability
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/** True for a `ThrottledError` from any copy of the package. */
export function isThrottledError(value: unknown): value is ThrottledError {
  return hasBrand(value, BRAND)
}
