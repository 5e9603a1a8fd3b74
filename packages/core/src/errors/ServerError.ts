import { ErrorClass } from '../ErrorClass.ts'
import { MarkerError } from './MarkerError.ts'

/** The remote side failed. Classified as `SERVER_ERROR`. */
export class ServerError extends MarkerError {
  override readonly errorClass: ErrorClass = ErrorClass.SERVER_ERROR

  constructor(message = 'server error', options?: { cause?: unknown }) {
    super(message, 'ERR_REDRESS_SERVER', options)
    this.name = 'ServerError'
  }
}
