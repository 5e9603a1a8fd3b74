import { describeValue } from '@redress/core/adapter'
import type { Dispatcher } from 'undici'
import type { CallerHandler } from './CallerHandler.ts'

/** The `code` of the process warning {@link endWithError} emits. */
export const ERROR_NOT_DELIVERED = 'REDRESS_UNDICI_ERROR_NOT_DELIVERED'

/**
 * Ends the caller's request with `error`, through its `onResponseError`.
 *
 * undici 7's `Dispatcher.compose` wraps a legacy handler (or anything else without
 * `onRequestStart`) in a `WrapHandler` before an interceptor sees it, and no interceptor can see
 * into the wrapper. When the wrapped handler has no `onError`, the wrapper's `onResponseError`
 * throws undici's `InvalidArgumentError('invalid onError method')`, where a plain `Agent` would
 * have refused the handler at dispatch: thrown from inside undici's callbacks, it would crash the
 * process as an uncaught exception. Nothing can tell that handler, so the error becomes a process
 * warning (code {@link ERROR_NOT_DELIVERED}) naming it. Anything else the handler throws is its
 * own, and propagates as it would without redress.
 */
export function endWithError(handler: CallerHandler, controller: Dispatcher.DispatchController, error: unknown): void {
  try {
    handler.onResponseError?.(controller, error)
  } catch (thrown) {
    if (!isMissingOnError(thrown)) throw thrown
    process.emitWarning(
      `redressInterceptor: a request failed and its handler has no onError: ${describeError(error)}`,
      { code: ERROR_NOT_DELIVERED },
    )
  }
}

/** undici 7's `WrapHandler` saying the handler it wraps has no `onError`. */
function isMissingOnError(thrown: unknown): boolean {
  if (typeof thrown !== 'object' || thrown === null) return false
  const { code, message } = thrown as { code?: unknown; message?: unknown }
  return code === 'UND_ERR_INVALID_ARG' && message === 'invalid onError method'
}

/** The error's message, or a safe description of a thrown value that is not an `Error` (never throws). */
function describeError(error: unknown): string {
  try {
    if (error instanceof Error) return error.message
  } catch {}
  return describeValue(error)
}
