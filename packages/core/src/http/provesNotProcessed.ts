import { safeGet } from '../classify/errorCodes.ts'
import { ErrorClass, isErrorClass } from '../ErrorClass.ts'
import { classifyNetworkError } from './classifyNetworkError.ts'

/**
 * True when a failure proves the server did not process the request, so that even a POST may be
 * sent again: a network failure in the connect phase (connection refused, DNS failure, connect
 * timeout; see `classifyNetworkError`), or a 429 Too Many Requests, which a server sends instead
 * of acting on the request.
 *
 * Takes either a classification (one made by `classifyNetworkError`, or with `details.status`
 * as `requestClassifiers` makes them) or the error itself. Never throws.
 *
 * @example
 * provesNotProcessed(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })) // true
 * provesNotProcessed({ errorClass: 'SERVER_ERROR', details: { status: 503 } }) // false
 */
export function provesNotProcessed(failure: unknown): boolean {
  const errorClass = safeGet(failure, 'errorClass')
  if (isErrorClass(errorClass)) {
    const details = safeGet(failure, 'details')
    if (safeGet(details, 'phase') === 'connect') return true
    return errorClass === ErrorClass.RATE_LIMIT && safeGet(details, 'status') === 429
  }
  if (classifyNetworkError(failure)?.details.phase === 'connect') return true
  const response = safeGet(failure, 'response')
  return (
    safeGet(response, 'status') === 429 || safeGet(failure, 'status') === 429 || safeGet(failure, 'statusCode') === 429
  )
}
