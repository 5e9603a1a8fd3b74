import { ErrorClass } from '../ErrorClass.ts'
import { MarkerError } from './MarkerError.ts'

/** A failure that retrying cannot fix (bad input, missing resource). Classified as `PERMANENT`. */
export class PermanentError extends MarkerError {
  override readonly errorClass: ErrorClass = ErrorClass.PERMANENT

  constructor(message = 'permanent failure', options?: { cause?: unknown }) {
    super(message, 'ERR_REDRESS_PERMANENT', options)
    this.name = 'PermanentError'
  }
}
