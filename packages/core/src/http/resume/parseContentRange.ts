import { trimHttpWhitespace } from '../headers/trimHttpWhitespace.ts'

/** A satisfied byte range of a `206` response (RFC 9110 §14.4), in bytes. */
export interface ContentRange {
  /** The first byte's position (`first-pos`). */
  readonly start: number
  /** The last byte's position, inclusive (`last-pos`). */
  readonly end: number
  /** The representation's complete length, or `undefined` for `*` (unknown). */
  readonly total: number | undefined
}

// RFC 9110 §14.4: Content-Range = range-unit SP ( range-resp / unsatisfied-range ),
// range-resp = incl-range "/" ( complete-length / "*" ), incl-range = first-pos "-" last-pos.
// The range unit is case-insensitive (§14.1); positions are 1*DIGIT. At most 15 digits keeps
// every position a safe integer (a petabyte is 16 digits).
const RANGE_RESP = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15}|\*)$/i

/**
 * Parses a `Content-Range` value of a single-part `206` (`bytes 200-999/1000`,
 * `bytes 200-999/*`). Returns `undefined` for anything else — absent, another unit, an
 * unsatisfied range (`bytes *\/1000`), or a value RFC 9110 §14.4 calls invalid: a last position
 * before the first, or a complete length not greater than the last position. Never throws.
 *
 * @example
 * parseContentRange('bytes 100-199/1000') // { start: 100, end: 199, total: 1000 }
 */
export function parseContentRange(value: string | undefined): ContentRange | undefined {
  if (typeof value !== 'string') return undefined
  const match = RANGE_RESP.exec(trimHttpWhitespace(value))
  if (match === null) return undefined
  const start = Number(match[1])
  const end = Number(match[2])
  const total = match[3] === '*' ? undefined : Number(match[3])
  if (end < start || (total !== undefined && total <= end)) return undefined
  return { start, end, total }
}
