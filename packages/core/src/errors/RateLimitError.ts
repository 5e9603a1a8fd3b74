import { ErrorClass } from '../ErrorClass.ts'
import { MarkerError } from './MarkerError.ts'

/** The remote side asked us to slow down. Classified as `RATE_LIMIT`. */
export class RateLimitError extends MarkerError {
  override readonly errorClass: ErrorClass = ErrorClass.RATE_LIMIT
  /** The server's requested delay in milliseconds, honoured by `retryAfterOr`. */
  readonly retryAfterMs: number | undefined

  constructor(message = 'rate limited', options?: { cause?: unknown; retryAfterMs?: number }) {
    super(message, 'ERR_REDRESS_RATE_LIMIT', options)
    this.name = 'RateLimitError'
    const ms = options?.retryAfterMs
    this.retryAfterMs = typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? ms : undefined
  }
}
