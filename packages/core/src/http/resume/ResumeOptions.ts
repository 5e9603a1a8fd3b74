import { booleanOption } from '../../guard/validate.ts'
import type { RedressRequestOptions } from '../HttpRequest.ts'
import type { HttpAdapterOptions } from '../httpAdapter.ts'

/** The adapter option that turns resuming cut downloads on or off (fetch, undici, axios). */
export interface ResumeOptions {
  /**
   * Continue a response body cut mid-way (a reset, a proxy timeout) with a `Range` request
   * guarded by the response's validator, in the same body stream the caller reads, under the
   * same policy. Only a `GET` answered `200`/`206` with a strong `ETag` or a strong
   * `Last-Modified` is resumed, and only a `206` that continues it exactly is spliced; anything
   * else ends the stream with a `ResumeError`. `false` passes a cut body's error on, as before.
   * Per request: `redress: { resume: false }`.
   * @default true
   */
  resume?: boolean | undefined
}

/** The per-request options of an adapter that resumes downloads: the shared ones, and `resume`. */
export interface ResumableRequestOptions extends RedressRequestOptions {
  /** `false` never resumes this request's body; `true` does when the adapter's `resume` is off. @default the adapter's `resume` */
  resume?: boolean | undefined
}

/**
 * The smallest body, in bytes, worth resuming: a response whose `Content-Length` says it is
 * shorter is handed over as it is (a cut reaches the caller, as without resume), so the many
 * small responses that carry a strong validator pay nothing for resume. A body this short is
 * cheap to fetch again whole; a longer one, or one of unknown length, is resumed.
 * @default 65536
 */
export const RESUME_MIN_BODY_BYTES = 65_536

/** The defaults of {@link ResumeOptions}, resolved once. */
export const RESUME_DEFAULTS: { readonly resume: true } = Object.freeze({ resume: true } as const)

/**
 * Reads the per-request `resume` option of a request's `redress` options (already checked to be
 * an object, or absent). @throws TypeError naming `redress.resume` when it is not a boolean.
 */
export function readResumeOption(redress: RedressRequestOptions | undefined, owner: string): boolean | undefined {
  return redress === undefined
    ? undefined
    : booleanOption(owner, 'redress.resume', (redress as ResumableRequestOptions).resume)
}

/**
 * An adapter's options without `resume`, for `createHttpAdapter` (which refuses options it does
 * not know); anything but an object is returned as it is, for it to refuse.
 */
export function withoutResume(
  options: (HttpAdapterOptions & ResumeOptions) | undefined,
): HttpAdapterOptions | undefined {
  if (typeof options !== 'object' || options === null || !('resume' in options)) return options
  const { resume: _resume, ...shared } = options
  return shared
}
