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

/** The one-shot body of a request (a stream, an async iterable, a `Request`'s body), or `undefined`. */
export function oneShotBodyOf(init: RequestInit | undefined, request: Request | undefined): object | undefined {
  const body: unknown = init?.body ?? request?.body ?? null
  return body !== null && isOneShotBody(body) ? (body as object) : undefined
}

/**
 * Works out how each attempt sends a one-shot body (a stream, async iterable, a `Request`'s
 * body). It is read into memory when it fits `maxBufferedBodyBytes`, and is then replayable;
 * otherwise it is sent once (`oneShotBody: true`, so the shared classifiers retry nothing), and a
 * further attempt fails with a `TypeError` rather than send an empty or partial body. Requests
 * whose body is replayable (or absent) never come here: they need no preparation at all.
 *
 * @throws the caller's `signal.reason` when it aborts while the body is being buffered
 */
export async function attemptSender(options: AttemptSenderOptions, body: object): Promise<PreparedSender> {
  const { baseFetch, input, init, request, maxBufferedBodyBytes, signal } = options
  let oneShot: object = body
  if (maxBufferedBodyBytes > 0) {
    const buffered = await bufferBody(oneShot, maxBufferedBodyBytes, signal)
    if (buffered.kind === 'bytes') {
      const bytes = buffered.bytes
      return {
        send: (attemptSignal) => baseFetch(input, { ...init, body: bytes, signal: attemptSignal }),
        oneShotBody: false,
      }
    }
    oneShot = buffered.stream
  }
  // A Request's own stream travels inside it; any other stream goes in init, where Node's
  // fetch requires `duplex: 'half'` for it.
  const sendsOwnBody = (init?.body ?? null) === null && oneShot === body && request !== undefined
  let sent = false
  const send: AttemptSender = (attemptSignal) => {
    if (sent) {
      return Promise.reject(
        new TypeError('redressFetch: the request body is a stream that was already sent; it cannot be sent again'),
      )
    }
    sent = true
    const attemptInit: RequestInit & { duplex?: 'half' } = sendsOwnBody
      ? { ...init, signal: attemptSignal }
      : { ...init, body: oneShot as BodyInit, duplex: 'half', signal: attemptSignal }
    return baseFetch(input, attemptInit)
  }
  return { send, oneShotBody: true }
}
