import type { ResumeTarget } from './ResumeTarget.ts'

/**
 * The request headers a continuation replaces, lower case: the caller's own `Range` and
 * conditionals would otherwise contradict the continuation's (a caller's `If-None-Match` could
 * turn it into a `304`).
 */
export const RESUME_REPLACED_HEADERS: readonly string[] = Object.freeze([
  'range',
  'if-range',
  'if-match',
  'if-none-match',
  'if-modified-since',
  'if-unmodified-since',
])

/**
 * The headers of the request that continues a body cut at `offset` (a byte position of the
 * representation), lower case:
 * - `range: bytes=<offset>-` (or `bytes=<offset>-<end>` when the body was a `206` ending before
 *   the representation does);
 * - with an entity tag: `if-match` (RFC 9110 §13.1.1: a changed representation answers `412`
 *   instead of a new body) and `if-range` (§13.1.5: a server that evaluates only `If-Range` sends
 *   the whole new representation as a `200`, never a wrong `206`);
 * - with a date: `if-unmodified-since` (§13.1.4) and `if-range`, likewise.
 *
 * Put them in place of every header in {@link RESUME_REPLACED_HEADERS}.
 *
 * @example
 * continuationHeaders({ validator: { kind: 'etag', value: '"v1"' }, start: 0, end: 999, total: 1000, encoding: undefined }, 400)
 * // { range: 'bytes=400-', 'if-match': '"v1"', 'if-range': '"v1"' }
 */
export function continuationHeaders(target: ResumeTarget, offset: number): Readonly<Record<string, string>> {
  const { end, total, validator } = target
  const toEnd = end === undefined || (total !== undefined && end === total - 1)
  const range = toEnd ? `bytes=${offset}-` : `bytes=${offset}-${end}`
  return validator.kind === 'etag'
    ? { range, 'if-match': validator.value, 'if-range': validator.value }
    : { range, 'if-unmodified-since': validator.value, 'if-range': validator.value }
}
