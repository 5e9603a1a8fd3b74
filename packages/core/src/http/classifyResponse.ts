import type { Classification } from '../Classification.ts'
import { safeGet } from '../classify/errorCodes.ts'
import { statusOf } from '../classify/statusOf.ts'
import { ErrorClass, NON_RETRYABLE_CLASSES } from '../ErrorClass.ts'
import { isolate } from '../guard/isolate.ts'
import { classifyStatus } from './classifyStatus.ts'
import type { HeadersLike } from './headers/getHeader.ts'
import { retryAfterFromHeaders } from './headers/retryAfterFromHeaders.ts'
import type { NotRetryableReason } from './NotRetryableReason.ts'

/**
 * The HTTP statuses to retry: a set, or a predicate over the status code. A listed 4xx or 5xx
 * status is retried even when its class is never retried (a listed 404 becomes TRANSIENT, a
 * listed 501 SERVER_ERROR); an error status left out is still a failure of its class, but with
 * `retryable: false`. Success statuses (1xx–3xx) stay successes whatever the list says.
 *
 * @example
 * new Set([429, 503]) // retry only rate limits and "unavailable"
 */
export type RetryStatuses = ReadonlySet<number> | ((status: number) => boolean)

/**
 * Classifies a response-like value (a fetch `Response`, an undici response record, an axios
 * response, or an error carrying `status`/`statusCode` and `headers`): `undefined` when it is
 * not a failure (or has no numeric status), else the class of its status (see `classifyStatus`)
 * with `details.status`. A failure of a retryable class carries `retryAfterMs`, the delay its
 * headers ask for (see `retryAfterFromHeaders`), whatever the status: 429, 503 or any other;
 * on a 429 a lone reset time (`RateLimit-Reset` with no remaining count) is that delay too.
 * Never throws.
 *
 * @param response the response-like value
 * @param nowMs the current wall-clock time in epoch milliseconds (`Date.now()`), for HTTP-dates
 * @param retryStatuses the statuses to retry; when omitted, every status of a retryable class
 *
 * @example
 * classifyResponse(new Response(null, { status: 503, headers: { 'retry-after': '2' } }), Date.now())
 * // { errorClass: 'SERVER_ERROR', retryAfterMs: 2000, details: { status: 503 } }
 */
export function classifyResponse(
  response: unknown,
  nowMs: number,
  retryStatuses?: RetryStatuses,
): Classification | undefined {
  const status = statusOf(response)
  if (status === undefined) return undefined
  let errorClass = classifyStatus(status)
  if (errorClass === undefined) return undefined
  let retryable = !NON_RETRYABLE_CLASSES.has(errorClass)
  if (retryStatuses !== undefined) {
    const listed = isListed(retryStatuses, status)
    if (listed && !retryable) {
      errorClass = status < 500 ? ErrorClass.TRANSIENT : ErrorClass.SERVER_ERROR
      retryable = true
    } else if (!listed && retryable) {
      const reason: NotRetryableReason = 'status_not_retryable'
      return { errorClass, retryable: false, details: { status, reason } }
    }
  }
  if (!retryable) return { errorClass, details: { status } }
  const retryAfterMs = retryAfterFromHeaders(safeGet(response, 'headers') as HeadersLike | undefined, nowMs, status)
  return retryAfterMs === undefined
    ? { errorClass, details: { status } }
    : { errorClass, retryAfterMs, details: { status } }
}

// A predicate (or a set) that throws answers "not listed": the safe side is not retrying. One that
// returns a promise answers "not listed" too (only `true` lists), and its rejection is handled.
function isListed(retryStatuses: RetryStatuses, status: number): boolean {
  return typeof retryStatuses === 'function'
    ? isolate(false, retryStatuses, undefined, status) === true
    : isolate(false, setHas, retryStatuses, status) === true
}

function setHas(this: ReadonlySet<number>, status: number): boolean {
  return this.has(status)
}
