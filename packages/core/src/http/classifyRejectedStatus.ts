import type { Classification } from '../Classification.ts'
import { safeGet } from '../classify/errorCodes.ts'
import { statusOf } from '../classify/statusOf.ts'
import { ErrorClass } from '../ErrorClass.ts'

/**
 * PERMANENT for axios's rejection of a status that is no failure (1xx–3xx): a redirect it was told
 * not to follow (`maxRedirects: 0`) or a status the caller's `validateStatus` refuses. The server
 * would answer the same again, and a PERMANENT failure costs no budget token (an UNKNOWN would be
 * retried). axios's `settle` (lib/core/settle.js) gives that rejection exactly this message; any
 * other error carrying a success is left to the fallback, as it may be a failure after the
 * status: axios also attaches the 200 whose body was cut ('stream has been aborted').
 *
 * The one rule for both `httpClassifier` and `requestClassifiers`, each calling it with the
 * `response` the error carries once that response's status gave no failure class. Never throws.
 */
export function classifyRejectedStatus(error: unknown, response: unknown): Classification | undefined {
  const status = statusOf(response)
  if (status === undefined || safeGet(error, 'message') !== `Request failed with status code ${status}`)
    return undefined
  return { errorClass: ErrorClass.PERMANENT, details: { status } }
}
