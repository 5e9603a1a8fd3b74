import { getHeader, type HeadersLike } from '../headers/getHeader.ts'
import { trimHttpWhitespace } from '../headers/trimHttpWhitespace.ts'
import { parseContentRange } from './parseContentRange.ts'
import { type ResumeValidator, resumeValidatorOf } from './ResumeValidator.ts'

/**
 * What a resumable response body is, in the representation's byte positions: where it starts
 * and ends, the total length, its validator and content coding. A continuation must carry on
 * from exactly here.
 */
export interface ResumeTarget {
  /** The validator every continuation must match. */
  readonly validator: ResumeValidator
  /** The position of the body's first byte: 0 for a `200`, `first-pos` for a `206`. */
  readonly start: number
  /** The position of the body's last byte, inclusive, when known (`Content-Length` or `Content-Range`). */
  readonly end: number | undefined
  /** The representation's complete length, when known. */
  readonly total: number | undefined
  /** The response's `Content-Encoding`, lower case, or `undefined` for none (identity). */
  readonly encoding: string | undefined
}

/** What {@link resumeTargetOf} reads of a response. */
export interface ResumableResponseHead {
  /** The request method, any case. */
  readonly method: string
  /** The response status. */
  readonly status: number
  /** The response headers, any {@link HeadersLike} shape. */
  readonly headers: HeadersLike | null | undefined
  /**
   * True when the client hands the caller a decoded body (fetch, axios with `decompress`): byte
   * positions then count decoded bytes, while `Range` counts encoded ones, so a content-coded
   * response cannot be resumed.
   */
  readonly decodesBody: boolean
}

/**
 * Where a response's body sits in its representation, when a cut could be resumed; else
 * `undefined`. Resumable: a `GET` answered `200`, or `206` with a single `Content-Range`, that
 * carries a validator (`resumeValidatorOf`), a non-empty body, no `Accept-Ranges: none`, and —
 * when the client decodes bodies — no content coding. Never throws.
 *
 * @example
 * resumeTargetOf({ method: 'GET', status: 200, headers: { etag: '"v1"', 'content-length': '10' }, decodesBody: true })
 * // { validator: { kind: 'etag', value: '"v1"' }, start: 0, end: 9, total: 10, encoding: undefined }
 */
export function resumeTargetOf(head: ResumableResponseHead): ResumeTarget | undefined {
  const { method, status, headers } = head
  if (!resumableStatus(status)) return undefined
  if (method !== 'GET' && method.toUpperCase() !== 'GET') return undefined
  const validator = resumeValidatorOf(headers)
  if (validator === undefined) return undefined
  // RFC 9110 §14.3: `none` says the server supports no range requests for this resource.
  const acceptRanges = getHeader(headers, 'accept-ranges')
  if (acceptRanges !== undefined && trimHttpWhitespace(acceptRanges).toLowerCase() === 'none') return undefined
  const encoding = contentCodingOf(headers)
  if (encoding !== undefined && head.decodesBody) return undefined
  if (status === 206) {
    // A multipart/byteranges 206 has no Content-Range of its own: not one body to continue.
    const range = parseContentRange(getHeader(headers, 'content-range'))
    if (range === undefined) return undefined
    return { validator, start: range.start, end: range.end, total: range.total, encoding }
  }
  const length = contentLengthOf(headers)
  if (length === 0) return undefined
  return length === undefined
    ? { validator, start: 0, end: undefined, total: undefined, encoding }
    : { validator, start: 0, end: length - 1, total: length, encoding }
}

/**
 * Whether a response of this status may have a body that can be resumed: a `200`, or a `206`
 * (whose single `Content-Range` {@link resumeTargetOf} still checks). Adapters ask it before
 * anything else of a response, so most responses cost them one comparison.
 */
export function resumableStatus(status: number): boolean {
  return status === 200 || status === 206
}

/** A response's `Content-Encoding`, lower case, or `undefined` for none (absent, empty or `identity`). */
export function contentCodingOf(headers: HeadersLike | null | undefined): string | undefined {
  const coding = getHeader(headers, 'content-encoding')
  if (coding === undefined) return undefined
  const encoding = trimHttpWhitespace(coding).toLowerCase()
  return encoding === '' || encoding === 'identity' ? undefined : encoding
}

/** A `Content-Length` that is one whole number (RFC 9110 §8.6), else `undefined`. */
export function contentLengthOf(headers: HeadersLike | null | undefined): number | undefined {
  const value = getHeader(headers, 'content-length')
  if (value === undefined) return undefined
  const text = trimHttpWhitespace(value)
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined
}
