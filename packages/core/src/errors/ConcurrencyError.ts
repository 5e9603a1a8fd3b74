import { ErrorClass } from '../ErrorClass.ts'
import { MarkerError } from './MarkerError.ts'

/** A conflict that may clear on retry (optimistic lock, deadlock). Classified as `CONCURRENCY`. */
export class ConcurrencyError extends MarkerError {
  override readonly errorClass: ErrorClass = ErrorClass.CONCURRENCY

  constructor(message = 'concurrency conflict', options?: { cause?: unknown }) {
    super(message, 'ERR_REDRESS_CONCURRENCY', options)
    this.name = 'ConcurrencyError'
  }
}
