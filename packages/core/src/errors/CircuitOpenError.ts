import { hasBrand } from './brand.ts'
import { RedressError } from './RedressError.ts'

const BRAND: unique symbol = Symbol.for('@redress/core/CircuitOpenError') as never

/** The circuit breaker is open: the operation was not attempted. */
export class CircuitOpenError extends RedressError {
  /** Milliseconds until the breaker lets a probe through, when known. */
  readonly retryInMs: number | undefined

  constructor(message = 'circuit breaker is open', options?: { retryInMs?: number | undefined }) {
    super(message, 'ERR_REDRESS_CIRCUIT_OPEN')
    this.name = 'CircuitOpenError'
    this.retryInMs = options?.retryInMs
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/** True for a `CircuitOpenError` from any copy of the package. */
export function isCircuitOpenError(value: unknown): value is CircuitOpenError {
  return hasBrand(value, BRAND)
}
