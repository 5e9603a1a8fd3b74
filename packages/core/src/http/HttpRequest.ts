import type { HedgeOptions } from '../hedge/HedgeOptions.ts'
import type { HeadersLike } from './headers/getHeader.ts'

/**
 * The origin redress assumes for a request whose origin it cannot see (a composed undici
 * `Client` or `Pool` adds its own origin below the interceptor, out of its sight; a URL that
 * cannot be parsed). Used only for the `host` tag, the operation name and the per-origin
 * budget; the request itself is untouched.
 */
export const UNKNOWN_ORIGIN: string = 'http://unknown.invalid'

/** What an operation namer sees of a request. */
export interface HttpRequestSummary {
  /** Upper-case method. */
  readonly method: string
  /** The request URL. */
  readonly url: URL
}

/** Per-request options, passed as `redress` on the request (fetch init, axios config, undici dispatch options). */
export interface RedressRequestOptions {
  /** `false` sends this request once, without the retry layer. @default true */
  retry?: boolean | undefined
  /** The operation name of this request, replacing the namer's. */
  operation?: string | undefined
  /** Replaces the adapter's `retryNonIdempotent` for this request. */
  retryNonIdempotent?: boolean | undefined
  /**
   * Hedging for this request: fields given replace the policy's `hedge` (an object turns it on
   * for this request even when the policy has none); `false` turns it off. Only an idempotent
   * request (by method, or with an `Idempotency-Key`) whose body can be sent again is ever
   * hedged, whatever this says. @default the policy's `hedge`
   */
  hedge?: HedgeOptions | false | null | undefined
}

/**
 * One request as an adapter describes it to the shared runner: plain, immutable facts, read as
 * they are given. Nothing is parsed or copied on the success path; the URL is resolved, the
 * operation named and the classifiers built only when an attempt fails (or a hook listens).
 */
export interface HttpRequest {
  /** The method, any case. */
  readonly method: string
  /**
   * The request URL (absolute, or relative to a browser page), or the path when `origin` is
   * given; or a function computing it (called at most once, on the failure path, and then only
   * if the URL is needed — e.g. axios's `getUri`, which re-merges the whole config). A function
   * that throws or returns `undefined` means the URL cannot be known.
   */
  readonly url: string | URL | (() => string | URL | undefined)
  /** The origin `url` is relative to (undici's dispatch `origin`); `undefined` when `url` is absolute. */
  readonly origin?: string | URL | undefined
  /**
   * Optional, when `url` is a function: a string that starts with the request's origin (axios's
   * `url` when absolute, else its `baseURL`), read on the success path instead of calling `url`
   * where only the origin is needed (the per-origin throttle). One that does not parse is ignored.
   */
  readonly originHint?: string | undefined
  /** The request headers, in any {@link HeadersLike} shape (read for `Idempotency-Key`). */
  readonly headers: HeadersLike | null | undefined
  /**
   * Whether the body can be sent only once (a stream, an async iterable): the first attempt
   * consumes it, so no failure of this request is retried (`reason: 'body_not_replayable'`).
   */
  readonly oneShotBody: boolean
  /** The request's own `redress` options. */
  readonly redress: RedressRequestOptions | undefined
  /** The caller's signal, if any: it aborts the attempt in flight and any backoff sleep. */
  readonly signal: AbortSignal | undefined
}

/**
 * The default operation namer: `METHOD host`.
 *
 * @example
 * defaultOperationName({ method: 'GET', url: new URL('https://api.example.com/users/1') }) // 'GET api.example.com'
 */
export function defaultOperationName(request: HttpRequestSummary): string {
  return `${request.method} ${request.url.host}`
}
