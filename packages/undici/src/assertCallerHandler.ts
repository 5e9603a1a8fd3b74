import { describeValue } from '@redress/core/adapter'

/**
 * Refuses, as the request is dispatched, a handler the run could not end: one that is not an
 * object, or has no `onResponseError` — a legacy `onConnect`/`onHeaders`/`onData`/`onComplete`/
 * `onError` handler, an empty object — or an `onRequestStart` that is not a function. The run
 * calls undici's v7 handler methods only, so such a handler would never hear of its response, or
 * of its failure; undici 8 refuses the same handlers at its own dispatch, and undici 7's plain
 * `Agent` refuses a legacy one without `onError`.
 *
 * undici 7's `Dispatcher.compose` wraps every handler without `onRequestStart` before an
 * interceptor sees it, so legacy handlers work there as on a plain `Agent`; a wrapper whose
 * handler has no `onError` passes this check, and is dealt with when the run ends
 * (see `endWithError`).
 *
 * @param owner names the adapter in the error
 * @throws TypeError naming the handler, or its method, and what was there instead
 */
export function assertCallerHandler(handler: unknown, owner: string): void {
  if (typeof handler !== 'object' || handler === null) {
    throw new TypeError(`${owner}: handler must be an object (undici's v7 handler), got ${describeValue(handler)}`)
  }
  const { onRequestStart, onResponseError } = handler as { onRequestStart?: unknown; onResponseError?: unknown }
  if (typeof onResponseError !== 'function') {
    throw new TypeError(
      `${owner}: handler.onResponseError must be a function, got ${describeValue(onResponseError)} (undici 7's Dispatcher.compose adapts a legacy handler with onError)`,
    )
  }
  if (onRequestStart !== undefined && typeof onRequestStart !== 'function') {
    throw new TypeError(`${owner}: handler.onRequestStart must be a function, got ${describeValue(onRequestStart)}`)
  }
}
