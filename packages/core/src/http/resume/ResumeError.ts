import { hasBrand } from '../../errors/brand.ts'
import { RedressError } from '../../errors/RedressError.ts'
import type { StopReason } from '../../events/StopReason.ts'

const BRAND: unique symbol = Symbol.for('@redress/core/ResumeError') as never

/**
 * Why a cut download could not be continued, in a {@link ResumeError}'s `reason`:
 * - `'range_ignored'`: the server answered the continuation with a `200` (it ignored `Range`),
 *   with the same validator;
 * - `'range_not_satisfiable'`: it answered `416`;
 * - `'validator_changed'`: the representation changed since the body started (`412`, or a
 *   response whose `ETag`/`Last-Modified` differs from the first one's, or lacks it);
 * - `'content_range_mismatch'`: the `206` does not continue the body exactly — its
 *   `Content-Range` is missing or malformed, does not start at the offset, ends elsewhere, has
 *   another total length, disagrees with its `Content-Length` — or its body is shorter or longer
 *   than its range, or it has another `Content-Encoding`;
 * - `'status'`: any other status (a `404`, or a `503` on which the policy gave up);
 * - `'gave_up'`: the policy stopped retrying (`stopReason`: attempts, deadline, budget,
 *   breaker) after at least one continuation request failed; `cause` is the last error.
 */
export type ResumeFailure =
  | 'range_ignored'
  | 'range_not_satisfiable'
  | 'validator_changed'
  | 'content_range_mismatch'
  | 'status'
  | 'gave_up'

/** What a {@link ResumeError} carries beside its reason and offset. */
export interface ResumeErrorDetails {
  /** The continuation's HTTP status, when one arrived. */
  readonly status?: number | undefined
  /** Why the policy stopped, for `'gave_up'`. */
  readonly stopReason?: StopReason | undefined
  /** The error behind this one (the last network error, the policy's stop), if any. */
  readonly cause?: unknown
}

/**
 * A cut response body could not be continued: the body stream the caller reads ends with this
 * error — never with bytes that do not belong to the representation. `offset` is the position
 * (in bytes, from the start of the representation) where the continuation was to start: for a
 * `200` it is the number of bytes the caller received.
 *
 * Not thrown for a caller's abort (that ends the stream with the abort reason), nor when no
 * continuation was sent at all (the body's own error is passed on unchanged, as without resume).
 */
export class ResumeError extends RedressError {
  /** Why the download could not be continued. */
  readonly reason: ResumeFailure
  /** The byte position of the representation where the continuation was to start. */
  readonly offset: number
  /** The continuation's HTTP status, when one arrived. */
  readonly status: number | undefined
  /** Why the policy stopped, for `'gave_up'`. */
  readonly stopReason: StopReason | undefined

  constructor(reason: ResumeFailure, offset: number, detail: string, details: ResumeErrorDetails = {}) {
    super(
      `cannot resume the download at byte ${offset}: ${detail}`,
      'ERR_REDRESS_RESUME',
      details.cause === undefined ? undefined : { cause: details.cause },
    )
    this.name = 'ResumeError'
    this.reason = reason
    this.offset = offset
    this.status = details.status
    this.stopReason = details.stopReason
    Object.defineProperty(this, BRAND, { value: true })
  }
}

/** True for a `ResumeError` from any copy of the package. */
export function isResumeError(value: unknown): value is ResumeError {
  return hasBrand(value, BRAND)
}
