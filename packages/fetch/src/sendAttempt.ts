import type { AttemptContext } from '@redress/core'
import { fetchThroughDispatcher } from './nodeFetchDispatcher.ts'
import { releaseResponse } from './releaseResponse.ts'

/**
 * One attempt (after the first) of a request whose body can be sent again, aborted by the
 * attempt's signal (the caller's signal, the attempt timeout, the deadline).
 */
export function sendAttempt(
  baseFetch: typeof fetch,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  ctx: AttemptContext,
): Promise<Response> {
  const signal = ctx.signal
  // One reaction on fetch's promise (an async function would cost its frame and two closures per await).
  return Promise.resolve(baseFetch(input, init === undefined ? { signal } : { ...init, signal })).then((response) => {
    // The engine stopped waiting for this attempt (timeout, deadline): nobody will read it.
    if (signal.aborted) releaseResponse(response)
    return response
  })
}

/**
 * One attempt of a replayable request through Node's fetch: its dispatcher, wrapped so that the
 * engine abandoning the attempt aborts the request (see `fetchThroughDispatcher`). Before Node's
 * fetch has made its global dispatcher (the process's first request), the attempt's signal.
 */
export function sendThroughDispatcher(
  baseFetch: typeof fetch,
  input: RequestInfo | URL,
  init: RequestInit | undefined,
  ctx: AttemptContext,
): Promise<Response> {
  return fetchThroughDispatcher(baseFetch, input, init, ctx) ?? sendAttempt(baseFetch, input, init, ctx)
}
