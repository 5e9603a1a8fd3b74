import { hasBrand } from './brand.ts'

const BRAND: unique symbol = Symbol.for('@redress/core/RedressError') as never

/** The base class of every error redress throws or defines. `code` is stable. */
export class RedressError extends Error {
  /** A stable machine-readable code, e.g. `'ERR_REDRESS_RETRY_EXHAUSTED'`. */
  readonly code: string

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'RedressError'
    this.code = code
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/** True for any redress error, from any copy of the package. */
export function isRedressError(value: unknown): value is RedressError {
  return hasBrand(value, BRAND)
}
