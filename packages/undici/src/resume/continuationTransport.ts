import type { ResumeTransport } from '@redress/core/adapter'
import { continuationRequestHeaders } from '@redress/core/adapter'
import type { Dispatcher } from 'undici'
import { AttemptHandler } from '../AttemptHandler.ts'
import type { AttemptOwner, ResponseSink } from '../AttemptOwner.ts'
import { sendAttempt } from '../sendAttempt.ts'

/**
 * How a download sends continuations: the caller's dispatch options with the Range headers,
 * down the chain, each as an attempt whose response is held for the download to check.
 *
 * @param dispatch the next dispatch function in the chain
 * @param opts the run's dispatch options as they are when a continuation is sent
 */
export function continuationTransport(
  dispatch: Dispatcher.Dispatch,
  opts: () => Dispatcher.DispatchOptions,
): ResumeTransport<AttemptHandler> {
  return {
    send: (headers, ctx) => {
      const attempt = new AttemptHandler('GET', CONTINUATION_OWNER)
      const outcome = attempt.start()
      ctx.onAbort((reason) => attempt.abandon(reason))
      const given = opts()
      // The caller's headers, in any shape undici takes, with the continuation's Range and validator.
      const merged = continuationRequestHeaders(given.headers, headers) as Record<string, string | string[]>
      const options = { ...given, method: 'GET', headers: merged }
      sendAttempt(dispatch, options, undefined, attempt)
      return outcome.then(() => attempt)
    },
    head: (continuation) => ({
      status: continuation.head?.statusCode ?? 0,
      headers: continuation.head?.headers,
    }),
    firstBytes: (continuation) => continuation.firstBytes(),
    release: (continuation) => continuation.discard(),
  }
}

/** Where a spliced continuation's body goes: on to the caller (`run`), as the rest of the same body. */
export function splicedSink(run: ResponseSink): ResponseSink {
  return {
    get paused() {
      return run.paused
    },
    responseStart: () => {},
    responseData: (chunk) => run.responseData(chunk),
    responseEnd: (trailers) => run.responseEnd(trailers),
    responseError: (error) => run.responseError(error),
  }
}

/** The owner of a continuation's attempt: its response is never forwarded at once, nor reported. */
const CONTINUATION_OWNER: AttemptOwner = {
  paused: false,
  attemptStarted() {},
  forwardAtOnce: () => false,
  informational() {},
  responseStart() {},
  responseData() {},
  responseEnd() {},
  responseError() {},
}
