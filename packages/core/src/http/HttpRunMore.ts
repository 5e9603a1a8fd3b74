/**
 * The part of an `HttpRequestRun` only a failure, an abort or a hedge needs: made when first
 * needed, so a request that succeeds at once carries none of it.
 */
export class HttpRunMore {
  url: URL | null | undefined
  abort: AbortController | undefined
  aborted: { readonly reason: unknown } | undefined
  // A hedged run's responses (and errors' responses) until it ends: all but the one handed back are released.
  responses: unknown[] | undefined
  ended = false
}
