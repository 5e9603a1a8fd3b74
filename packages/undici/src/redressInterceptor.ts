import { createHttpAdapter, Resumer, readRequestOptions, readResumeOption, withoutResume } from '@redress/core/adapter'
import type { HttpAdapterOptions, ResumableRequestOptions, ResumeOptions } from '@redress/core/http'
import type { Dispatcher } from 'undici'
import { assertCallerHandler } from './assertCallerHandler.ts'
import { ATTEMPT_BRAND } from './attemptBrand.ts'
import { RedressRun } from './RedressRun.ts'
import { UndiciRequest } from './UndiciRequest.ts'

/**
 * Options of {@link redressInterceptor}: the options every redress HTTP adapter shares.
 *
 * - `policy` — the `RetryPolicy` requests run under. @default `httpPolicy()` (3 attempts,
 *   `retryAfterOr(decorrelatedJitter())`, a `TokenBudget` per origin, 60 s deadline)
 * - `maxRetryAfterMs` — a server delay (`Retry-After`/RateLimit) above this many ms gives up at
 *   once and hands the last response to the caller. @default 60000
 * - `retryNonIdempotent` — retry POST/PATCH… without `Idempotency-Key` after any retryable
 *   failure, not only after one proving the server never saw them. @default false
 * - `operation` — names each request's `operation` tag. @default `${method} ${host}`
 * - `resume` — continue a `GET` body cut mid-way with a `Range` request guarded by its validator,
 *   in the same body the handler receives (see `ResumeOptions`). @default true
 */
export interface RedressInterceptorOptions extends HttpAdapterOptions, ResumeOptions {}

const OWNER = 'redressInterceptor'

/** A handler carrying the attempt brand: one of our own attempts. */
interface Branded {
  readonly [ATTEMPT_BRAND]: unknown
}

/**
 * An undici interceptor (for `Dispatcher.compose`) that retries requests under a redress policy.
 *
 * Each attempt is dispatched down the chain. A 2xx or 3xx response goes straight through to your
 * handler as undici delivers it, while the engine records the success; any other response waits,
 * paused on its connection, while the engine decides on its head. A response the engine retries
 * never reaches your handler — its body is drained (small) or aborted (large) before the backoff
 * — and the request is dispatched again after the engine's delay. The response the run ends on
 * (a success, or the last retryable status) reaches your handler untouched: status, headers,
 * body. Errors before a response (resets, refused connections, connect and headers timeouts) are
 * classified by the shared HTTP tables. A `GET` body cut after it was forwarded (a reset, undici's
 * `bodyTimeout`) is resumed when the response carries a strong validator: the rest is requested
 * with `Range` under the same policy, and your handler receives it as the same body, or the body
 * ends with a `ResumeError`; any other error in a forwarded body is passed through.
 *
 * A request that succeeds at once pays for no copy of its options (unless they carry
 * `redress`), no URL, no `AbortController` and no timer of its own: all of that is built when an
 * attempt fails.
 *
 * @param options the shared adapter options; see {@link RedressInterceptorOptions}
 * @throws TypeError/RangeError naming the option, for an invalid option; the dispatch function it
 *   returns throws a TypeError naming the handler for one that is not an object or lacks
 *   `onRequestStart` or `onResponseError` (undici 7's `Dispatcher.compose` adapts legacy handlers)
 *
 * @example
 * const agent = new Agent().compose(redressInterceptor())
 * setGlobalDispatcher(agent)
 */
export function redressInterceptor(options?: RedressInterceptorOptions): Dispatcher.DispatcherComposeInterceptor {
  // `resume` is this adapter's; the runner checks the rest (and that options is an object).
  const adapter = createHttpAdapter(withoutResume(options), OWNER)
  const resumer = new Resumer(adapter, options, OWNER)
  return (dispatch) => {
    if (typeof dispatch !== 'function') {
      throw new TypeError('redressInterceptor: expected the next dispatch function (use it with Dispatcher.compose)')
    }
    return function redressDispatch(opts, handler): boolean {
      // Refused at once, as undici refuses a bad handler: the run could not report to it.
      assertCallerHandler(handler, OWNER)
      // Each option is read once, and only those the success path needs (see UndiciRequest).
      // Options usually lack `upgrade`, `redress` and `signal`: on a plain object, asking whether
      // it has them costs next to nothing, where reading a missing one walks the prototype chain
      // through V8's slowest lookup (undici's options have a hidden class of their own).
      const plain = Object.getPrototypeOf(opts) === Object.prototype
      const given = opts.method
      // Our own attempts, from another redress interceptor above this one, pass through; so do
      // upgrades and CONNECT, which hand over a socket, not a response: there is nothing to retry.
      if (
        (handler as Partial<Branded>)[ATTEMPT_BRAND] === true ||
        ((!plain || Object.hasOwn(opts, 'upgrade')) && opts.upgrade) ||
        given === 'CONNECT'
      ) {
        return dispatch(opts, handler)
      }
      let attemptOpts = opts
      let perRequest: ResumableRequestOptions | undefined
      const redress = !plain || Object.hasOwn(opts, 'redress') ? opts.redress : undefined
      if (redress !== undefined) {
        perRequest = readRequestOptions(redress, OWNER)
        if (perRequest?.retry === false) return dispatch(opts, handler)
        readResumeOption(perRequest, OWNER)
        // undici ignores unknown options, so only a request that has `redress` pays for a copy
        // without it. No `delete`: it would turn the options into a slow dictionary-mode object.
        const { redress: _redress, ...rest } = opts
        attemptOpts = rest
      }
      const method = given ?? 'GET'
      const request = new UndiciRequest(opts, method, perRequest)
      return new RedressRun(dispatch, attemptOpts, handler, method).start(
        adapter,
        request,
        !plain || Object.hasOwn(opts, 'signal') ? (opts as { signal?: unknown }).signal : undefined,
        // A request with a one-shot body is never resumed (see resumableDownload).
        resumer.allows(method, perRequest) ? resumer : undefined,
      )
    }
  }
}
