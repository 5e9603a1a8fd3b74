import type { HttpAdapterOptions, ResumableRequestOptions, ResumeOptions } from '@redress/core/http'

/** Options of `redressFetch`: the options every redress HTTP adapter shares, plus fetch's own. */
export interface RedressFetchOptions extends HttpAdapterOptions, ResumeOptions {
  /**
   * The fetch to wrap. Read once, when `redressFetch` is called, so
   * `globalThis.fetch = redressFetch()` wraps the previous global and never calls itself.
   * @default globalThis.fetch, as it is when `redressFetch` is called
   */
  fetch?: typeof fetch | undefined
  /**
   * Largest stream body (a `ReadableStream` or an async iterable in `init.body`), in bytes, that
   * is read into memory before the first attempt so that it can be sent again. A longer body is
   * sent once, as it streams (what was read first, then the rest), and is never retried. `0`
   * never buffers: such bodies are sent once. Off by default: a stream you hand to fetch may be
   * produced live, and must not wait for 64 KiB before it starts to flow.
   * @default 0
   */
  maxBufferedBodyBytes?: number | undefined
  /**
   * Largest body of a `Request` input (what ky and other fetch wrappers send), in bytes, that is
   * read into memory before the first attempt so that the request can be sent again. Such a
   * body is a stream to the Fetch API whatever it was built from (usually a string or bytes
   * already in memory). The `Request` is cloned and the clone read; when the body turns out
   * longer, the clone is dropped and the `Request` itself is sent once, as it is, and not
   * retried: nothing is read twice from the source, and at most this many bytes (plus one chunk)
   * are held. `0` never buffers.
   * @default 65536
   */
  maxBufferedRequestBodyBytes?: number | undefined
}

/** The defaults of {@link RedressFetchOptions} that belong to fetch alone, resolved once. */
export const REDRESS_FETCH_DEFAULTS: {
  readonly maxBufferedBodyBytes: 0
  readonly maxBufferedRequestBodyBytes: 65_536
} = Object.freeze({
  maxBufferedBodyBytes: 0,
  maxBufferedRequestBodyBytes: 65_536,
} as const)

declare global {
  interface RequestInit {
    /**
     * Per-request options of `redressFetch` (`@redress/fetch`): `{ retry: false }` sends the
     * request once, untouched; `operation` names it; `retryNonIdempotent` and `resume` override
     * the adapter's. Removed before the request reaches the wrapped fetch.
     */
    redress?: ResumableRequestOptions | undefined
  }
}
