import type { AttemptContext } from '@redress/core'
import type { ResumeTransport } from '@redress/core/adapter'
import { continuationRequestHeaders } from '@redress/core/adapter'
import type { ContinuationRequest } from './ContinuationRequest.ts'
import { releaseResponse } from './releaseResponse.ts'

/** One continuation of a cut body: its response, and the first bytes read from it. */
export interface Continuation {
  readonly response: Response
  /** The response's status, for the policy's events. */
  readonly status: number
  reader: ReadableStreamDefaultReader<Uint8Array> | undefined
  first: Uint8Array | undefined
  done: boolean
}

/** How the download sends and reads continuations of this request through the caller's fetch. */
export function continuationTransport(request: ContinuationRequest): ResumeTransport<Continuation> {
  return {
    async send(headers, ctx) {
      const response = await request.send(request.url, continuationInit(request, headers), ctx)
      return { response, status: response.status, reader: undefined, first: undefined, done: false }
    },
    head: (c) => ({ status: c.response.status, headers: c.response.headers }),
    async firstBytes(c: Continuation, _ctx: AttemptContext) {
      const body = c.response.body
      if (body === null) {
        c.done = true
        return
      }
      c.reader = body.getReader()
      // The attempt's signal, given to fetch, errors this read when the attempt is abandoned.
      for (;;) {
        const read = await c.reader.read()
        if (read.done) {
          c.done = true
          return
        }
        if (read.value.byteLength > 0) {
          c.first = read.value
          return
        }
      }
    },
    release(c) {
      if (c.reader !== undefined) c.reader.cancel().catch(() => {})
      else releaseResponse(c.response)
    },
  }
}

/** The caller's request as a `GET` with the continuation's `Range` and validator headers, and no signal. */
function continuationInit(request: ContinuationRequest, headers: Readonly<Record<string, string>>): RequestInit {
  const { init, request: input } = request
  // The caller's headers (a record, a Headers, a list of pairs) with the continuation's Range and validator.
  const merged = new Headers(continuationRequestHeaders(init?.headers ?? input?.headers, headers) as HeadersInit)
  const fromRequest: RequestInit =
    input === undefined
      ? {}
      : {
          credentials: input.credentials,
          cache: input.cache,
          redirect: input.redirect,
          referrerPolicy: input.referrerPolicy,
        }
  // No body (a GET), and no integrity: a subresource-integrity hash covers the whole body, never a part.
  // The attempt's sender aborts it; the caller's signal is followed by the body itself.
  const { body: _body, integrity: _integrity, signal: _signal, ...rest } = init ?? {}
  return { ...fromRequest, ...rest, method: 'GET', headers: merged }
}
