import { getHeader, type HeadersLike } from './getHeader.ts'
import { parseRetryAfter } from './parseRetryAfter.ts'
import { rateLimitDelayMs } from './rateLimitDelayMs.ts'
import { trimHttpWhitespace } from './trimHttpWhitespace.ts'

/**
 * A reset value above this many seconds is an epoch timestamp, not a delay: 10^9 seconds is
 * about 31 years as a delay, and September 2001 as a timestamp.
 */
const EPOCH_SECONDS_THRESHOLD = 1_000_000_000

const NON_NEGATIVE_INTEGER = /^\d{1,15}$/
// Vendors' reset headers are unstandardised; some send fractional epoch seconds (`1470173023.123`).
const NON_NEGATIVE_SECONDS = /^\d{1,15}(?:\.\d{1,9})?$/

/**
 * The delay, in milliseconds, that a response's headers ask for before the next request.
 *
 * Sources, first answer wins:
 * 1. `Retry-After` (RFC 9110 §10.2.3, see `parseRetryAfter`), which takes precedence over the rest;
 * 2. `RateLimit` (+ `RateLimit-Policy`), the IETF RateLimit fields draft, when a quota is exhausted;
 * 3. `RateLimit-Remaining: 0` with `RateLimit-Reset` (the draft's older separate fields);
 * 4. `X-RateLimit-Remaining: 0` with `X-RateLimit-Reset` (GitHub and many others).
 *
 * The reset headers of 3 and 4 take delta-seconds or, above 10^9, epoch seconds (a past time
 * gives 0). They apply only when nothing remains — or, when `status` is 429, also when no
 * remaining count is given (or it is malformed): on a 429 a reset time is the server's delay, and
 * only a count above 0 says that quota is not the one exhausted. The same holds for a `RateLimit`
 * item with `t` and no `r`. Malformed values are ignored, and the next source is read. Never
 * returns NaN or a negative number; never throws, whatever `headers` is.
 *
 * @param headers the response headers, in any {@link HeadersLike} shape
 * @param nowMs the current wall-clock time in epoch milliseconds (`Date.now()`, or an injected
 *   wall clock's time), for HTTP-dates and epoch-second resets
 * @param status the response's status code, when known; only 429 changes the answer
 * @returns the delay in milliseconds, or `undefined` when the headers ask for none
 *
 * @example
 * retryAfterFromHeaders(new Headers({ 'retry-after': '3' }), Date.now()) // 3000
 * retryAfterFromHeaders({ 'ratelimit-reset': '30' }, Date.now(), 429) // 30000
 */
export function retryAfterFromHeaders(
  headers: HeadersLike | null | undefined,
  nowMs: number,
  status?: number,
): number | undefined {
  const tooManyRequests = status === 429
  return (
    parseRetryAfter(getHeader(headers, 'retry-after'), nowMs) ??
    rateLimitDelayMs(getHeader(headers, 'ratelimit'), getHeader(headers, 'ratelimit-policy'), tooManyRequests) ??
    resetMs(headers, 'ratelimit-remaining', 'ratelimit-reset', nowMs, tooManyRequests) ??
    resetMs(headers, 'x-ratelimit-remaining', 'x-ratelimit-reset', nowMs, tooManyRequests)
  )
}

function resetMs(
  headers: HeadersLike | null | undefined,
  remainingName: string,
  resetName: string,
  nowMs: number,
  tooManyRequests: boolean,
): number | undefined {
  const remaining = trimHttpWhitespace(getHeader(headers, remainingName) ?? '')
  const count = NON_NEGATIVE_INTEGER.test(remaining) ? Number(remaining) : undefined
  if (count !== 0 && !(tooManyRequests && count === undefined)) return undefined
  const reset = trimHttpWhitespace(getHeader(headers, resetName) ?? '')
  if (!NON_NEGATIVE_SECONDS.test(reset)) return undefined
  const seconds = Number(reset)
  const delayMs = seconds > EPOCH_SECONDS_THRESHOLD ? seconds * 1000 - nowMs : seconds * 1000
  if (!Number.isFinite(delayMs)) return undefined
  return Math.max(0, Math.ceil(delayMs))
}
