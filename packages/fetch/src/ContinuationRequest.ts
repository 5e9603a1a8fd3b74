import type { AttemptContext } from '@redress/core'

/** How a continuation of one fetch request is sent: the caller's input and init, as given. */
export interface ContinuationRequest {
  /** Sends one attempt through the caller's fetch, aborted when the engine abandons it (as redressFetch's own attempts). */
  readonly send: (input: string | URL, init: RequestInit, ctx: AttemptContext) => Promise<Response>
  /** Where continuations go: the response's final URL when it has one, else the request's. */
  readonly url: string | URL
  /** The caller's init, without `redress`. */
  readonly init: RequestInit | undefined
  /** The input, when it is a `Request`. */
  readonly request: Request | undefined
  /** The caller's signal (`init.signal`, else the `Request`'s), if any. */
  readonly signal: AbortSignal | undefined
}
