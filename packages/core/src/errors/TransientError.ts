import { ErrorClass } from '../ErrorClass.ts'
import { MarkerError } from './MarkerError.ts'

/** A passing network or availability failure. Classified as `TRANSIENT`. */
export class TransientError extends MarkerError {
  override readonly errorClass: ErrorClass = ErrorClass.TRANSIENT

  constructor(message = 'transient failure', options?: { cause?: unknown }) {
    super(message, 'ERR_REDRESS_TRANSIENT', options)
    this.name = 'TransientError'
  }
}
