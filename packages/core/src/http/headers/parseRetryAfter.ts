import { parseHttpDate } from './parseHttpDate.ts'
import { trimHttpWhitespace } from './trimHttpWhitespace.ts'

/**
 * The most significant digits a delay in seconds may have: 10 digits is over 300 years.
 * Longer values are garbage rather than a wait anyone means, and refusing them keeps every
 * result a safe integer of milliseconds.
 */
const MAX_DELAY_DIGITS = 10

// RFC 9110 §10.2.3: delay-seconds = 1*DIGIT. Leading zeros carry no meaning and are allowed.
const DELAY_SECONDS = new RegExp(`^0*(\\d{1,${MAX_DELAY_DIGITS}})$`)

/**
 * Parses a `Retry-After` value (RFC 9110 §10.2.3) into a delay in milliseconds.
 *
 * Accepts delay-seconds (`"120"`, `" 120 "`, `"007"`, `"0"` → 0) and an HTTP-date in any of
 * the three forms of RFC 9110 §5.6.7; a date in the past gives 0. Everything else gives
 * `undefined`: negative (`"-1"`), fractional (`"1.5"`), exponent (`"1e3"`), hex (`"0x10"`),
 * `"Infinity"`, empty or blank values, more than 10 significant digits, and impossible dates.
 * Never returns NaN or a negative number; never throws.
 *
 * @param value the header value, as read (may be `null` or `undefined` when absent)
 * @param nowMs the current wall-clock time in epoch milliseconds (`Date.now()`), to turn a date into a delay
 * @returns the delay in milliseconds, or `undefined` when `value` is absent or malformed
 *
 * @example
 * parseRetryAfter('120', Date.now()) // 120_000
 * parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', Date.now()) // 0 (in the past)
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | undefined {
  if (typeof value !== 'string') return undefined
  const text = trimHttpWhitespace(value)
  const seconds = DELAY_SECONDS.exec(text)
  if (seconds !== null) return Number(seconds[1]) * 1000
  const dateMs = parseHttpDate(text, nowMs)
  if (dateMs === undefined) return undefined
  const delayMs = dateMs - nowMs
  if (!Number.isFinite(delayMs)) return undefined
  return Math.max(delayMs, 0)
}
