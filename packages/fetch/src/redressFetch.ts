import type { RetryOutcome } from '@redress/core'
import { describeValue } from '@redress/core'
import {
  createHttpAdapter,
  type HttpAttemptRequest,
  readRequestOptions,
  resolveRequestUrl,
  settleHttpOutcome,
} from '@redress/core/http'
import { attemptSender } from './attemptSender.ts'
import { REDRESS_FETCH_DEFAULTS, type RedressFetchOptions } from './RedressFetchOptions.ts'
import { releaseResponse } from './releaseResponse.ts'

const OWNER = 'redressFetch'

/**
 * Wraps `fetch` with redress retries: a function with the exact type of `fetch` that retries
 * what `@redress/core/http` calls retryable (5xx, 408, 429, network failures, attempt
 * timeouts), honouring `Retry-After`, the policy's deadline and budget, and the caller's signal.
 *
 * It keeps the fetch contract: it resolves with a `Response` for any HTTP status — after the
 * last retryable status, with that last response, body intact — and rejects only as fetch does,
 * with the original error (or the signal's reason on abort). Every response it discards is
 * released first. Per-request options go in `init.redress` (see `RedressRequestOptions`).
 *
 * @throws {TypeError | RangeError} at creation, for an invalid option, naming it and its value
 *
 * @example
 * globalThis.fetch = redressFetch()
 * const res = await fetch('https://api.example.com/users/1')
 *
 * @example
 * const api = ky.create({ fetch: redressFetch({ policy: httpPolicy({ maxAttempts: 4 }) }), retry: 0 })
 */
export function redressFetch(options?: RedressFetchOptions): typeof fetch {
  if (options !== undefined && (typeof options !== 'object' || options === null)) {
    throw new TypeError(`${OWNER}(options): options must be an object, got ${describeValue(options)}`)
  }
  const { fetch: given, maxBufferedBodyBytes: maxBuffered, ...shared } = options ?? {}
  const adapter = createHttpAdapter(shared, OWNER)
  if (given !== undefined && typeof given !== 'function') {
    throw new TypeError(`${OWNER}: fetch must be a function, got ${describeValue(given)}`)
  }
  const baseFetch = given ?? globalThis.fetch
  if (typeof baseFetch !== 'function') {
    throw new TypeError(`${OWNER}: no global fetch to wrap; pass one as the fetch option`)
  }
  if (
    maxBuffered !== undefined &&
    (typeof maxBuffered !== 'number' || !Number.isSafeInteger(maxBuffered) || maxBuffered < 0)
  ) {
    throw new RangeError(
      `${OWNER}: maxBufferedBodyBytes must be a whole number of bytes >= 0, got ${describeValue(maxBuffered)}`,
    )
  }
  const maxBufferedBodyBytes = maxBuffered ?? REDRESS_FETCH_DEFAULTS.maxBufferedBodyBytes

  return async function redressedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const perRequest = readRequestOptions(init?.redress, OWNER)
    const rest = withoutRedress(init)
    if (perRequest?.retry === false) return baseFetch(input, rest)

    const request = isRequestLike(input) ? input : undefined
    const url = resolveRequestUrl(request?.url ?? String(input))
    const headers = parseHeaders(rest?.headers !== undefined ? rest.headers : request?.headers)
    // fetch itself explains a bad URL or header better than we could: let it.
    if (url === undefined || headers === undefined) return baseFetch(input, rest)

    const signal = rest?.signal !== undefined ? (rest.signal ?? undefined) : request?.signal
    const facts: HttpAttemptRequest = {
      method: rest?.method ?? request?.method ?? 'GET',
      url,
      headers,
      bodyReplayable: true,
    }
    const send = await attemptSender({ baseFetch, input, init: rest, request, facts, maxBufferedBodyBytes, signal })

    const callOptions = adapter.callOptions(facts, perRequest, {
      signal,
      // The engine calls this just before it sleeps: the response it rejected is ours to free.
      beforeSleep: (ctx) => releaseResponse(ctx.result),
    })
    const outcome: RetryOutcome<Response> = await adapter.policy.execute(async ({ signal: attemptSignal }) => {
      const response = await send(signal === undefined ? attemptSignal : AbortSignal.any([signal, attemptSignal]))
      // The engine stopped waiting for this attempt (timeout, deadline): nobody will read it.
      if (attemptSignal.aborted) releaseResponse(response)
      return response
    }, callOptions)

    // The fetch contract: a final HTTP status resolves, with its body intact; a failure rejects as fetch would.
    const settled = settleHttpOutcome(outcome)
    if (settled.kind === 'response') return settled.response
    releaseResponse(outcome.lastResult)
    throw settled.error
  }
}

function withoutRedress(init: RequestInit | undefined): RequestInit | undefined {
  if (init === undefined || init === null) return undefined
  const { redress: _redress, ...rest } = init
  return rest
}

/** A `Request` from any realm or copy of undici (`instanceof` would miss undici's own class). */
function isRequestLike(input: unknown): input is Request {
  if (typeof input !== 'object' || input === null || input instanceof URL) return false
  const r = input as Partial<Request>
  return typeof r.url === 'string' && typeof r.method === 'string' && typeof r.headers === 'object'
}

function parseHeaders(value: HeadersInit | undefined): Headers | undefined {
  try {
    return new Headers(value)
  } catch {
    return undefined
  }
}
