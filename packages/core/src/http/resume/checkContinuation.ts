import { getHeader, type HeadersLike } from '../headers/getHeader.ts'
import { parseContentRange } from './parseContentRange.ts'
import { ResumeError } from './ResumeError.ts'
import { contentCodingOf, contentLengthOf, type ResumeTarget } from './ResumeTarget.ts'
import { sameValidator } from './ResumeValidator.ts'

/**
 * Whether a continuation response may be spliced onto a body cut at `offset`: only a `206` whose
 * `Content-Range` starts exactly at `offset`, ends where the body ends (when known), has the same
 * complete length (when both are known), agrees with its own `Content-Length`, has the same
 * validator and the same content coding. Returns `undefined` for such a response, else the
 * {@link ResumeError} that ends the body stream:
 * `200` → `range_ignored` (or `validator_changed` when its validator differs); `412` →
 * `validator_changed`; `416` → `range_not_satisfiable`; a `206` that does not continue the body
 * exactly → `content_range_mismatch` or `validator_changed`; anything else → `status`.
 * Never throws.
 *
 * @param target the body being continued (`resumeTargetOf`)
 * @param offset the representation position of the next byte the caller needs
 */
export function checkContinuation(
  target: ResumeTarget,
  offset: number,
  status: number,
  headers: HeadersLike | null | undefined,
): ResumeError | undefined {
  const fail = (reason: ResumeError['reason'], detail: string): ResumeError =>
    new ResumeError(reason, offset, detail, { status })
  if (status === 200) {
    return sameValidator(target.validator, headers)
      ? fail('range_ignored', 'the server ignored the Range header and sent the whole body again (200)')
      : fail('validator_changed', 'the server sent a different representation (200 with another validator)')
  }
  if (status === 412) return fail('validator_changed', 'the representation changed (412 Precondition Failed)')
  if (status === 416) return fail('range_not_satisfiable', 'the server cannot serve the rest of the body (416)')
  if (status !== 206) return fail('status', `the continuation was answered with status ${status}`)
  if (!sameValidator(target.validator, headers)) {
    return fail('validator_changed', `the 206 does not carry the body's validator ${target.validator.value}`)
  }
  const value = getHeader(headers, 'content-range')
  const range = parseContentRange(value)
  if (range === undefined) {
    return fail('content_range_mismatch', `the 206 has no usable Content-Range (${value ?? 'absent'})`)
  }
  const expected = `bytes ${offset}-${target.end ?? '…'}/${target.total ?? '*'}`
  const mismatch = (why: string): ResumeError =>
    fail('content_range_mismatch', `Content-Range ${value ?? ''} ${why} (expected ${expected})`)
  if (range.start !== offset) return mismatch(`starts at ${range.start}`)
  if (target.end !== undefined && range.end !== target.end) return mismatch(`ends at ${range.end}`)
  if (target.total !== undefined && range.total !== undefined && range.total !== target.total) {
    return mismatch(`has complete length ${range.total}`)
  }
  // Without a known total, the continuation must still stop before any total it names.
  if (
    target.end === undefined &&
    target.total === undefined &&
    range.total !== undefined &&
    range.end !== range.total - 1
  ) {
    return mismatch('stops before the end of the representation')
  }
  const length = contentLengthOf(headers)
  if (length !== undefined && length !== range.end - range.start + 1) {
    return mismatch(`disagrees with Content-Length ${length}`)
  }
  const encoding = contentCodingOf(headers)
  if (encoding !== target.encoding) {
    return fail(
      'content_range_mismatch',
      `the 206 is coded ${encoding ?? 'identity'}, the body ${target.encoding ?? 'identity'}`,
    )
  }
  return undefined
}
