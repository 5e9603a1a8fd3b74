import type { ErrorClass } from '../ErrorClass.ts'
import { hasBrand } from './brand.ts'
import { RedressError } from './RedressError.ts'

const BRAND: unique symbol = Symbol.for('@redress/core/MarkerError') as never

/**
 * Base of the marker errors: throw one from your operation to state its class
 * explicitly; `defaultClassifier` reads `errorClass` before any heuristic.
 */
export abstract class MarkerError extends RedressError {
  /** The class this error stands for. */
  abstract readonly errorClass: ErrorClass

  constructor(message: string, code: string, options?: { cause?: unknown }) {
    super(message, code, options)
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/** True for any marker error (from any copy of the package). */
export function isMarkerError(value: unknown): value is MarkerError {
  return hasBrand(value, BRAND)
}
