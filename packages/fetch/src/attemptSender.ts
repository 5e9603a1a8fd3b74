import { isOneShotBody } from '@redress/core/adapter'
import { bufferBody } from './bufferBody.ts'

/** Sends one attempt of a request, aborted by `signal`. */
export type AttemptSender = (signal: AbortSignal) => Promise<Response>

/** What `attemptSender` needs to know about one request. */
export interface AttemptSenderOptions {
  /** The wrapped fetch. */
  readonly baseFetch: typeof fetch
  /** The caller's input, passed on as it is. */
  readonly input: RequestInfo | URL
  /** The caller's init, without `redress`. */
  readonly init: RequestInit | undefined
  /** The input, when it is a `Request`. */
  readonly request: Request | undefined
  /** The largest one-shot body to read into memory, in bytes; `0` for none. */
  readonly maxBufferedBodyBytes: number
  /** The caller's signal: aborting it stops buffering. */
  readonly signal: AbortSignal | undefined
}

/** How each attempt of a request sends its body. */
export interface PreparedSender {
  /** Sends one attempt. */
  readonly send: AttemptSender
  /** True when the body is a stream that the first attempt consumes: nothing may be retried. */
  readonly oneShotBody: boolean
}

/** A one-shot body, and whether it is a `Request` input's own rather than one given in `init.body`. */
export interface OneShotBody {
  /** The stream or async iterable. */
  readonly body: object
  /** True for the body of a `Request` input (no `init.body` replaces it). */
  readonly ofRequest: boolean
}

/** The one-shot body of a request (a stream, an async iterable, a `Request`'s body), or `undefined`. */
export function oneShotBodyOf(init: RequestInit | undefined, request: Request | undefined): OneShotBody | undefined {
  const initBody: unknown = init?.body ?? null
  if (initBody !== null) return isOneShotBody(initBody) ? { body: initBody as object, ofRequest: false } : undefined
  const requestBody: unknown = request?.body ?? null
  return requestBody !== null && isOneShotBody(requestBody)
    ? { body: requestBody as object, ofRequest: true }
    : undefined
}

/**
 * Works out how each attempt sends a one-shot body (a stream, async iterable, a `Request`'s
 * body). It is read into memory when it fits `maxBufferedBodyBytes`, and is then replayable;
 * otherwise it is sent once (`oneShotBody: true`, so the shared classifiers retry nothing), and a
 * further attempt fails with a `TypeError` rather than send an empty or partial body. Requests
 * whose body is replayable (or absent) never come here: they need no preparation at all.
 *
 * A `Request`'s body is read through a clone, so that when it is too long the `Request` itself
 * is sent as it is (its body still whole: the clone's tee holds what was read, no more): a
 * browser sends such a body as a plain upload, where a stream in `init.body` would need HTTP/2.
 *
 * @throws the caller's `signal.reason` when it aborts while the body is being buffered
 */
export async function attemptSender(options: AttemptSenderOptions, oneShotBody: OneShotBody): Promise<PreparedSender> {
  const { baseFetch, input, init, request, maxBufferedBodyBytes, signal } = options
  const { body, ofRequest } = oneShotBody
  // What an attempt sends in init.body; undefined: the Request's own body, as it is.
  let streamed: object | undefined = ofRequest ? undefined : body
  if (maxBufferedBodyBytes > 0) {
    const source = ofRequest ? clonedBody(request) : body
    const buffered = source === undefined ? undefined : await bufferBody(source, maxBufferedBodyBytes, signal)
    if (buffered?.kind === 'bytes') {
      const bytes = buffered.bytes
      return {
        send: (attemptSignal) => baseFetch(input, { ...init, body: bytes, signal: attemptSignal }),
        oneShotBody: false,
      }
    }
    if (buffered !== undefined) {
      if (ofRequest) buffered.stream.cancel().catch(() => {})
      else streamed = buffered.stream
    }
  }
  let sent = false
  const send: AttemptSender = (attemptSignal) => {
    if (sent) {
      return Promise.reject(
        new TypeError('redressFetch: the request body is a stream that was already sent; it cannot be sent again'),
      )
    }
    sent = true
    // Any stream other than a Request's own goes in init, where Node's fetch requires
    // `duplex: 'half'` for it.
    const attemptInit: RequestInit & { duplex?: 'half' } =
      streamed === undefined
        ? { ...init, signal: attemptSignal }
        : { ...init, body: streamed as BodyInit, duplex: 'half', signal: attemptSignal }
    return baseFetch(input, attemptInit)
  }
  return { send, oneShotBody: true }
}

/** The body of a clone of `request` (a tee of its body), or undefined when it cannot be cloned (already read). */
function clonedBody(request: Request | undefined): ReadableStream<Uint8Array> | undefined {
  try {
    return request?.clone().body ?? undefined
  } catch {
    return undefined
  }
}
