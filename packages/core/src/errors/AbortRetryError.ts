import { hasBrand } from './brand.ts'
import { RedressError } from './RedressError.ts'

const BRAND: unique symbol = Symbol.for('@redress/core/AbortRetryError') as never

/**
 * Stops a run at once, without retry. Throw it from an operation, or get it when
 * `abortIf()` returns true or the `sleep` handler answers `'abort'`.
 */
export class AbortRetryError extends RedressError {
  constructor(message = 'retry aborted', options?: { cause?: unknown }) {
    super(message, 'ERR_REDRESS_ABORTED', options)
    this.name = 'AbortRetryError'
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/** True for an `AbortRetryError` from any copy of the package. */
export function isAbortRetryError(value: unknown): value is AbortRetryError {
  return hasBrand(value, BRAND)
}
