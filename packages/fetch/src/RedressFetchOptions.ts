import type { HttpAdapterOptions, RedressRequestOptions } from '@redress/core/http'

/** Options of `redressFetch`: the options every redress HTTP adapter shares, plus fetch's own. */
export interface RedressFetchOptions extends HttpAdapterOptions {
  /**
   * The fetch to wrap. Read once, when `redressFetch` is called, so
   * `globalThis.fetch = redressFetch()` wraps the previous global and never calls itself.
   * @default globalThis.fetch, as it is when `redressFetch` is called
   */
  fetch?: typeof fetch | undefined
  /**
   * Largest one-shot body (a `ReadableStream`, an async iterable, or the body of a `Request`
   * input), in bytes, that is read into memory before the first attempt so that it can be
   * sent again. A longer body is sent once, as it streams, and is never retried. `0` never
   * buffers: one-shot bodies are sent once.
   * @default 0
   */
  maxBufferedBodyBytes?: number | undefined
}

/** The defaults of {@link RedressFetchOptions} that belong to fetch alone, resolved once. */
export const REDRESS_FETCH_DEFAULTS: { readonly maxBufferedBodyBytes: 0 } = Object.freeze({
  maxBufferedBodyBytes: 0,
} as const)

declare global {
  interface RequestInit {
    /**
     * Per-request options of `redressFetch` (`@redress/fetch`): `{ retry: false }` sends the
     * request once, untouched; `operation` names it; `retryNonIdempotent` overrides the
     * adapter's. Removed before the request reaches the wrapped fetch.
     */
    redress?: RedressRequestOptions | undefined
  }
}
