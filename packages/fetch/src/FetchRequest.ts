import type { HttpRequest } from '@redress/core/adapter'
import type { ResponseResumer } from './ResponseResumer.ts'

/**
 * One request of `redressFetch` (a `FetchCall`): the facts the shared runner reads
 * (`HttpRequest`), and what its attempts and its resumer need.
 */
export interface FetchRequest extends HttpRequest {
  /** The caller's input, passed on as it is. */
  readonly input: RequestInfo | URL
  /** The caller's init, without `redress`. */
  readonly init: RequestInit | undefined
  /** The input, when it is a `Request`. */
  readonly request: Request | undefined
  /** The caller's own signal (`init.signal`, else the `Request`'s), not the one shared with other calls. */
  readonly callerSignal: AbortSignal | undefined
  /** Makes the response's body resumable; `undefined` when this request is never resumed (not a GET, or resume off). */
  readonly resumer: ResponseResumer | undefined
  /** When the request started, on the policy's clock, if it may be resumed (`ResponseResumer.startTime`). */
  readonly startedAtMs: number | undefined
}
