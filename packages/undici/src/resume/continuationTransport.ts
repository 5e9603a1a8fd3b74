import type { ResumeTransport } from '@redress/core/adapter'
import { RESUME_REPLACED_HEADERS } from '@redress/core/adapter'
import type { Dispatcher } from 'undici'
import { AttemptHandler } from '../AttemptHandler.ts'
import type { AttemptOwner, ResponseSink } from '../AttemptOwner.ts'

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
      const options = { ...given, method: 'GET', headers: continuationRequestHeaders(given.headers, headers) }
      try {
        dispatch(options, attempt)
      } catch (error) {
        attempt.dispatchFailed(error)
      }
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

/**
 * The caller's request headers with the continuation's (core's `continuationHeaders`) in place of
 * any `Range` and conditional header.
 */
function continuationRequestHeaders(
  given: Dispatcher.DispatchOptions['headers'],
  extra: Readonly<Record<string, string>>,
): Record<string, string | string[]> {
  const headers: Record<string, string | string[]> = {}
  const put = (name: unknown, value: unknown): void => {
    if (typeof name !== 'string' || RESUME_REPLACED_HEADERS.includes(name.toLowerCase())) return
    if (typeof value === 'string' || Array.isArray(value)) headers[name] = value as string | string[]
    else if (typeof value === 'number') headers[name] = String(value)
  }
  if (Array.isArray(given)) {
    // A flat [name, value, …] list, or a list of [name, value] pairs.
    if (Array.isArray(given[0])) for (const pair of given as unknown as unknown[][]) put(pair[0], pair[1])
    else for (let i = 0; i + 1 < given.length; i += 2) put(given[i], given[i + 1])
  } else if (given !== null && given !== undefined && typeof given === 'object') {
    const iterable = given as { [Symbol.iterator]?: unknown }
    if (typeof iterable[Symbol.iterator] === 'function') {
      for (const pair of given as Iterable<unknown[]>) put(pair[0], pair[1])
    } else for (const [name, value] of Object.entries(given)) put(name, value)
  }
  return { ...headers, ...extra }
}
