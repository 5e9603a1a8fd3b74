import { ErrorClass } from '../ErrorClass.ts'

/**
 * The statuses whose class differs from their range's default (4xx → PERMANENT,
 * 5xx → SERVER_ERROR).
 */
const STATUS_EXCEPTIONS = {
  401: ErrorClass.AUTH,
  403: ErrorClass.PERMISSION,
  // 408 Request Timeout: the server gave up waiting for the request; RFC 9110 §15.5.9 invites a retry.
  408: ErrorClass.TRANSIENT,
  409: ErrorClass.CONCURRENCY,
  // 425 Too Early (RFC 8470): replayed 0-RTT data refused; the request may be retried as is.
  425: ErrorClass.TRANSIENT,
  429: ErrorClass.RATE_LIMIT,
  // 501 Not Implemented and 505 HTTP Version Not Supported will answer the same way every time.
  501: ErrorClass.PERMANENT,
  505: ErrorClass.PERMANENT,
} as const satisfies Readonly<Record<number, ErrorClass>>

/**
 * The error class of an HTTP status code, or `undefined` for a status that is not a failure.
 *
 * 1xx, 2xx and 3xx → `undefined`; 401 AUTH; 403 PERMISSION; 408 and 425 TRANSIENT; 409
 * CONCURRENCY; 429 RATE_LIMIT; other 4xx PERMANENT; 501 and 505 PERMANENT; other 5xx
 * SERVER_ERROR. Anything that is not an integer from 100 to 599 → `undefined`.
 *
 * @example
 * classifyStatus(503) // 'SERVER_ERROR'
 * classifyStatus(204) // undefined
 */
export function classifyStatus(status: number): ErrorClass | undefined {
  if (!Number.isInteger(status) || status < 400 || status > 599) return undefined
  const exception: ErrorClass | undefined = (STATUS_EXCEPTIONS as Readonly<Record<number, ErrorClass>>)[status]
  if (exception !== undefined) return exception
  return status < 500 ? ErrorClass.PERMANENT : ErrorClass.SERVER_ERROR
}
