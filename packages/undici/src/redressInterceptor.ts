import { createHttpAdapter, type HttpAdapterOptions, readRequestOptions } from '@redress/core/http'
import type { Dispatcher } from 'undici'
import { isReplayableBody } from './isReplayableBody.ts'
import { RedressRun } from './RedressRun.ts'
import { requestUrl } from './requestUrl.ts'

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
 */
export interface RedressInterceptorOptions extends HttpAdapterOptions {}

// The dispatch options of our own attempts, so a second redress interceptor in the chain
// passes them through instead of multiplying attempts. A WeakSet (shared across copies of
// the package through the global symbol registry) rather than a marker property: undici
// reads these options many times per request and must see plain, fast-shaped objects.
const ATTEMPTS_KEY: unique symbol = Symbol.for('@redress/undici.attempts') as never
const registry = globalThis as { [ATTEMPTS_KEY]?: WeakSet<object> }
if (registry[ATTEMPTS_KEY] === undefined) registry[ATTEMPTS_KEY] = new WeakSet<object>()
const ATTEMPTS: WeakSet<object> = registry[ATTEMPTS_KEY]

/**
 * An undici interceptor (for `Dispatcher.compose`) that retries requests under a redress policy.
 *
 * Each attempt is dispatched down the chain; its response head goes to the engine while the
 * body waits, paused, on the connection. A response the engine retries never reaches your
 * handler — its body is drained (small) or aborted (large) before the backoff — and the request
 * is dispatched again after the engine's delay. The response the run ends on (a success, or the
 * last retryable status) reaches your handler untouched: status, headers, body. Errors before a
 * response (resets, refused connections, connect and headers timeouts) are classified by the
 * shared HTTP tables; an error in a forwarded body is passed through, never retried.
 *
 * @param options the shared adapter options; see {@link RedressInterceptorOptions}
 * @throws TypeError/RangeError naming the option, for an invalid option
 *
 * @example
 * const agent = new Agent().compose(redressInterceptor())
 * setGlobalDispatcher(agent)
 */
export function redressInterceptor(options?: RedressInterceptorOptions): Dispatcher.DispatcherComposeInterceptor {
  const adapter = createHttpAdapter(options, 'redressInterceptor')
  return (dispatch) => {
    if (typeof dispatch !== 'function') {
      throw new TypeError('redressInterceptor: expected the next dispatch function (use it with Dispatcher.compose)')
    }
    return function redressDispatch(opts, handler): boolean {
      // Upgrades and CONNECT hand over a socket, not a response: there is nothing to retry.
      if (ATTEMPTS.has(opts) || opts.upgrade || opts.method === 'CONNECT') return dispatch(opts, handler)
      const perRequest = readRequestOptions(opts.redress, 'redressInterceptor')
      if (perRequest?.retry === false) return dispatch(opts, handler)

      // No `delete`: it would turn the options into a slow dictionary-mode object.
      const { redress: _redress, ...attemptOpts } = opts
      ATTEMPTS.add(attemptOpts)
      const oneShotBody = !isReplayableBody(opts.body)
      const run = new RedressRun(
        dispatch,
        attemptOpts,
        handler,
        { method: String(opts.method ?? 'GET'), url: requestUrl(opts), headers: opts.headers, bodyReplayable: true },
        oneShotBody,
      )
      return run.start(adapter, perRequest, (opts as { signal?: unknown }).signal)
    }
  }
}
