import { getHeader } from '@redress/core/http'
import type { AttemptHandler } from './AttemptHandler.ts'
import type { ResponseSink } from './AttemptOwner.ts'
import { DISCARD_DUMP_MAX_BYTES } from './discardLimits.ts'
import { discardError, type HeldResponse } from './HeldResponse.ts'
import type { UndiciResponseHead } from './UndiciResponseHead.ts'

// What becomes of an attempt's response off the success path: one held for the engine is
// forwarded to the caller untouched, or discarded (drained or aborted); a forwarded one may be
// failed. Free functions of the attempt, which moves its `state` on with them; a response
// forwarded at once is never held, and reaches none of them unless it fails.

/**
 * Hands `attempt`'s held response to `sink` (the attempt is `forwarding` already): the head, the
 * chunks buffered so far, then the live body — or how it ended while held.
 *
 * @param held what the attempt buffered while its response was held
 */
export function forwardHeld(
  attempt: AttemptHandler,
  held: HeldResponse,
  head: UndiciResponseHead,
  sink: ResponseSink,
): void {
  try {
    sink.responseStart(head)
    const chunks = held.chunks ?? []
    held.chunks = undefined
    for (const chunk of chunks) {
      if (attempt.state !== 'forwarding') return
      sink.responseData(chunk)
    }
  } catch (error) {
    attempt.fail(error)
    return
  }
  if (attempt.state !== 'forwarding') return
  if (held.error !== undefined) {
    attempt.state = 'closed'
    sink.responseError(held.error.error)
  } else if (held.trailers !== undefined) {
    attempt.state = 'closed'
    sink.responseEnd(held.trailers)
  } else if (!sink.paused) {
    attempt.controller?.resume()
  }
}

/**
 * Ends `attempt`'s forwarded response with `error` (the caller aborted, or its handler threw):
 * aborts the live body, whose error then reaches the caller; a body undici already finished (a
 * response held to its end, then forwarded) is ended with the error here, as undici would have.
 *
 * @param held what the attempt buffered, when its response was held before it was forwarded
 * @param sink where the response is forwarded
 */
export function failForwarded(
  attempt: AttemptHandler,
  held: HeldResponse | undefined,
  sink: ResponseSink | undefined,
  error: unknown,
): void {
  const controller = attempt.controller
  if (held?.trailers !== undefined || held?.error !== undefined || controller === undefined) {
    attempt.state = 'closed'
    sink?.responseError(error)
    return
  }
  controller.abort(error)
}

/**
 * Releases `attempt`'s held response, which the caller will never see, so its connection never
 * waits on it: a body already complete needs nothing; a small or bodiless one is drained so the
 * keep-alive socket returns to the pool; a large one (or one that outgrows
 * {@link DISCARD_DUMP_MAX_BYTES}, or is still arriving after `DISCARD_DUMP_MAX_MS`) is aborted,
 * which closes its socket.
 *
 * @param held what the attempt buffered while its response was held
 * @param method the request method (a `HEAD` response has no body to drain)
 */
export function discardHeld(attempt: AttemptHandler, held: HeldResponse, method: string): void {
  held.stopWaiting(discardError())
  const controller = attempt.controller
  held.chunks = undefined
  if (held.trailers !== undefined || held.error !== undefined || controller === undefined) {
    attempt.state = 'closed'
    return
  }
  const head = attempt.head
  const length = Number(getHeader(head?.headers, 'content-length'))
  const status = head?.statusCode ?? 0
  const bodiless = method.toUpperCase() === 'HEAD' || status === 204 || status === 304
  if (!bodiless && Number.isFinite(length) && length > DISCARD_DUMP_MAX_BYTES) {
    attempt.state = 'closed'
    controller.abort(discardError())
    return
  }
  attempt.state = 'discarding'
  held.drain(controller, () => cutDrain(attempt))
}

/** Gives up draining `attempt`'s discarded body: aborts it, which closes its socket. */
export function cutDrain(attempt: AttemptHandler): void {
  if (attempt.state !== 'discarding') return
  attempt.close()
  attempt.controller?.abort(discardError())
}
