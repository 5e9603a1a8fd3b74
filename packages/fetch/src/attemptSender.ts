import type { HttpAttemptRequest } from '@redress/core/http'
import { isOneShotBody } from '@redress/core/http'
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
  /** The request as the classifiers see it; `bodyReplayable` turns false once a one-shot body is sent. */
  readonly facts: HttpAttemptRequest
  /** The largest one-shot body to read into memory, in bytes; `0` for none. */
  readonly maxBufferedBodyBytes: number
  /** The caller's signal: aborting it stops buffering. */
  readonly signal: AbortSignal | undefined
}

/**
 * Works out how each attempt sends the body. A replayable body (or none) is passed to every
 * attempt as it is. A one-shot body (stream, async iterable, a `Request`'s body) is read into
 * memory when it fits `maxBufferedBodyBytes`, and is then replayable; otherwise it is sent once,
 * after which `facts.bodyReplayable` is false, so the shared classifiers retry nothing, and a
 * further attempt would fail with a `TypeError` rather than send an empty or partial body.
 *
 * @throws the caller's `signal.reason` when it aborts while the body is being buffered
 */
export async function attemptSender(options: AttemptSenderOptions): Promise<AttemptSender> {
  const { baseFetch, input, init, request, facts, maxBufferedBodyBytes, signal } = options
  const initBody = init?.body ?? null
  const body: unknown = initBody ?? request?.body ?? null
  if (body === null || !isOneShotBody(body))
    return (attemptSignal) => baseFetch(input, { ...init, signal: attemptSignal })

  let oneShot: object = body as object
  if (maxBufferedBodyBytes > 0) {
    const buffered = await bufferBody(oneShot, maxBufferedBodyBytes, signal)
    if (buffered.kind === 'bytes') {
      const bytes = buffered.bytes
      return (attemptSignal) => baseFetch(input, { ...init, body: bytes, signal: attemptSignal })
    }
    oneShot = buffered.stream
  }
  // A Request's own stream travels inside it; any other stream goes in init, where Node's
  // fetch requires `duplex: 'half'` for it.
  const sendsOwnBody = initBody === null && oneShot === body
  let sent = false
  return (attemptSignal) => {
    if (sent) {
      return Promise.reject(
        new TypeError('redressFetch: the request body is a stream that was already sent; it cannot be sent again'),
      )
    }
    sent = true
    const attemptInit: RequestInit & { duplex?: 'half' } = sendsOwnBody
      ? { ...init, signal: attemptSignal }
      : { ...init, body: oneShot as BodyInit, duplex: 'half', signal: attemptSignal }
    const pending = baseFetch(input, attemptInit)
    facts.bodyReplayable = false
    return pending
  }
}
