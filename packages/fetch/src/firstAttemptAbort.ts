import type { FetchCall } from './FetchCall.ts'

// The first attempt's abort, once the runner gives up on it (its timeout, the deadline, the
// caller's abort): through the signal of its own it was sent with, or through Node's fetch's
// dispatcher (see `AttemptDispatcher`). Free functions of the call, which holds their state.

/** The runner gave up on the first attempt: abort it (`FetchCall.abandon`). */
export function abandonFirst(call: FetchCall, reason: unknown): void {
  if (call.abandoned !== undefined) return
  call.abandoned = { reason }
  const abort = call.firstAbort
  call.firstAbort = undefined
  if (typeof abort === 'function') abort(reason)
  else abort?.abort(reason)
}

/**
 * How the dispatcher of the first attempt through Node's fetch aborts it (`FetchCall.onAbort`):
 * one listener, the latest (a redirect connects again, through the same one).
 */
export function setDispatcherAbort(call: FetchCall, listener: (reason: unknown) => void): void {
  if (call.abandoned !== undefined) listener(call.abandoned.reason)
  else call.firstAbort = listener
}

/** The first attempt's own signal, aborted when the runner abandons it. */
export function firstSignal(call: FetchCall): AbortSignal {
  const controller = new AbortController()
  if (call.abandoned !== undefined) controller.abort(call.abandoned.reason)
  else call.firstAbort = controller
  return controller.signal
}

/** Sends the first attempt with a signal of its own. */
export function fetchWithFirstSignal(call: FetchCall, baseFetch: typeof fetch): Promise<Response> {
  const signal = firstSignal(call)
  const init = call.init
  return baseFetch(call.input, init === undefined ? { signal } : { ...init, signal })
}
