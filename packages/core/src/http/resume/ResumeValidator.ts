import { getHeader, type HeadersLike } from '../headers/getHeader.ts'
import { parseHttpDate } from '../headers/parseHttpDate.ts'
import { trimHttpWhitespace } from '../headers/trimHttpWhitespace.ts'

/**
 * The validator a cut download is continued with: a strong entity tag, or a `Last-Modified`
 * date that is strong by RFC 9110 §8.8.2.2.
 */
export type ResumeValidator =
  | { readonly kind: 'etag'; readonly value: string }
  | { readonly kind: 'last-modified'; readonly value: string; readonly epochMs: number }

// RFC 9110 §8.8.3: entity-tag = [ weak ] opaque-tag; opaque-tag = DQUOTE *etagc DQUOTE;
// etagc = %x21 / %x23-7E / obs-text. A strong tag has no W/ prefix.
const STRONG_ETAG = /^"[\x21\x23-\x7e\x80-\xff]*"$/

/** The minimum gap, in ms, between `Date` and `Last-Modified` for the date to be a strong validator. */
const STRONG_DATE_GAP_MS = 1_000

/**
 * The validator of a response, or `undefined` when it has none that can guard a `Range` request:
 * - a strong `ETag` (RFC 9110 §8.8.3; a weak `W/"…"` tag only says two bodies are equivalent,
 *   not byte-identical, and §13.1.5 forbids it in `If-Range`);
 * - else, when there is no entity tag at all, `Last-Modified` when the response's `Date` is at
 *   least one second later (§8.8.2.2: only then can the representation not have changed twice in
 *   the second the date names, and only then may §13.1.5 put the date in `If-Range`).
 *
 * @param headers the response headers, any {@link HeadersLike} shape
 * @example
 * resumeValidatorOf({ etag: '"v1"' }) // { kind: 'etag', value: '"v1"' }
 */
export function resumeValidatorOf(headers: HeadersLike | null | undefined): ResumeValidator | undefined {
  const etag = getHeader(headers, 'etag')
  if (etag !== undefined) {
    const value = trimHttpWhitespace(etag)
    return STRONG_ETAG.test(value) ? { kind: 'etag', value } : undefined
  }
  const lastModified = getHeader(headers, 'last-modified')
  const date = getHeader(headers, 'date')
  if (lastModified === undefined || date === undefined) return undefined
  // Only a two-digit RFC 850 year reads `now`; a validator needs no more than the instant.
  const now = Date.now()
  const value = trimHttpWhitespace(lastModified)
  const epochMs = parseHttpDate(value, now)
  const dateMs = parseHttpDate(trimHttpWhitespace(date), now)
  if (epochMs === undefined || dateMs === undefined || dateMs - epochMs < STRONG_DATE_GAP_MS) return undefined
  return { kind: 'last-modified', value, epochMs }
}

/**
 * Whether `headers` (of a continuation) carry the same validator: the identical strong entity
 * tag (the strong comparison of RFC 9110 §8.8.3.2), or a `Last-Modified` naming the same instant.
 * A response without it does not match: a `206` must repeat the `ETag` (and so `Last-Modified`)
 * a `200` would carry (§15.3.7), and a splice that cannot be checked is not made.
 */
export function sameValidator(validator: ResumeValidator, headers: HeadersLike | null | undefined): boolean {
  if (validator.kind === 'etag') {
    const etag = getHeader(headers, 'etag')
    return etag !== undefined && trimHttpWhitespace(etag) === validator.value
  }
  const lastModified = getHeader(headers, 'last-modified')
  return lastModified !== undefined && parseHttpDate(trimHttpWhitespace(lastModified), Date.now()) === validator.epochMs
}
