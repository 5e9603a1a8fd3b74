import {
  createHttpAdapter,
  describeValue,
  type HttpRunHooks,
  Resumer,
  readRequestOptions,
  readResumeOption,
} from '@redress/core/adapter'
import type { ResumableRequestOptions } from '@redress/core/http'
import { oneShotBodyOf } from './attemptSender.ts'
import type { ContinuationRequest } from './ContinuationRequest.ts'
import { FetchCall } from './FetchCall.ts'
import type { FetchSettings } from './FetchSettings.ts'
import { isNodeFetch } from './nodeFetchDispatcher.ts'
import { REDRESS_FETCH_DEFAULTS, type RedressFetchOptions } from './RedressFetchOptions.ts'
import { ResponseResumer } from './ResponseResumer.ts'
import { releaseResponse } from './releaseResponse.ts'
import { sendAttempt, sendThroughDispatcher } from './sendAttempt.ts'
import { shareCallerSignal } from './shareCallerSignal.ts'

const OWNER = 'redressFetch'

/** What the shared runner does with the responses of fetch: release them; check headers only on failure. */
const HOOKS: HttpRunHooks = {
  release: releaseResponse,
  // fetch rejects a header it cannot build with a TypeError: that failure is not retried.
  isWellFormed: (request) => parseHeaders(request.headers) !== undefined,
}

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
 * A request that succeeds at once builds no run state and parses neither its URL nor its
 * headers unless an attempt fails. The deadline can still cut the attempt in flight: through
 * Node's own fetch, by aborting the request through its dispatcher (no `AbortSignal`); through
 * any other fetch, with one `AbortSignal` per attempt (on Node 20 a signal alone costs about
 * 5 µs to construct). A policy with neither a finite `deadlineMs` nor `attemptTimeoutMs` needs
 * neither: the caller's init (and signal) is passed to fetch as it is, and without a caller's
 * signal the promise returned is the reaction to fetch's own.
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
  const {
    fetch: given,
    maxBufferedBodyBytes: maxBuffered,
    maxBufferedRequestBodyBytes: maxBufferedRequest,
    resume,
    ...shared
  } = options ?? {}
  const adapter = createHttpAdapter(shared, OWNER)
  const resumer = new Resumer(adapter, { resume }, OWNER)
  if (given !== undefined && typeof given !== 'function') {
    throw new TypeError(`${OWNER}: fetch must be a function, got ${describeValue(given)}`)
  }
  const baseFetch = given ?? globalThis.fetch
  if (typeof baseFetch !== 'function') {
    throw new TypeError(`${OWNER}: no global fetch to wrap; pass one as the fetch option`)
  }
  const maxBufferedBodyBytes = byteCount('maxBufferedBodyBytes', maxBuffered)
  const maxBufferedRequestBodyBytes = byteCount('maxBufferedRequestBodyBytes', maxBufferedRequest)
  // Only a policy that cuts attempts (a finite deadline or attemptTimeoutMs) needs a signal of
  // its own per attempt; without one, the caller's signal (if any) is all that can abort fetch.
  const { deadlineMs, attemptTimeoutMs } = adapter.limits
  const cutsAttempts = Number.isFinite(deadlineMs) || attemptTimeoutMs !== undefined
  // Node's own fetch can be aborted through its dispatcher, which costs far less than a signal.
  const viaDispatcher = isNodeFetch(baseFetch)
  const sendContinuation: ContinuationRequest['send'] = viaDispatcher
    ? (url, init, ctx) => sendThroughDispatcher(baseFetch, url, init, ctx)
    : (url, init, ctx) => sendAttempt(baseFetch, url, init, ctx)

  const responses = new ResponseResumer(resumer, sendContinuation)
  const settings: FetchSettings = {
    adapter,
    hooks: HOOKS,
    baseFetch,
    cutsAttempts,
    viaDispatcher,
    maxBufferedBodyBytes,
    maxBufferedRequestBodyBytes,
  }

  return function redressedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const own = init?.redress
    let perRequest: ResumableRequestOptions | undefined
    if (own !== undefined) {
      try {
        perRequest = readRequestOptions(own, OWNER)
        readResumeOption(perRequest, OWNER)
      } catch (error) {
        return Promise.reject(error)
      }
    }
    // fetch ignores unknown init members; `redress` is stripped only when there is one.
    const rest = own === undefined ? (init ?? undefined) : withoutRedress(init as RequestInit)
    if (perRequest?.retry === false) return baseFetch(input, rest)

    const request = isRequestLike(input) ? input : undefined
    // An explicit `signal: null` in init means no signal, even for a Request that has one.
    const callerSignal = rest?.signal !== undefined ? (rest.signal ?? undefined) : request?.signal
    // The run listens to the caller's signal; calls sharing one share a single listener on it.
    const signal = callerSignal === undefined ? undefined : shareCallerSignal(callerSignal)
    const method = rest?.method ?? request?.method ?? 'GET'
    const resumes = resumer.allows(method, perRequest) ? responses : undefined
    const call = new FetchCall(settings, input, rest, request, perRequest, method, callerSignal, signal, resumes)
    return call.send(oneShotBodyOf(rest, request))
  }
}

/** A byte-count option, or its default; a RangeError naming the option for anything but a whole number >= 0. */
function byteCount(name: 'maxBufferedBodyBytes' | 'maxBufferedRequestBodyBytes', value: unknown): number {
  if (value === undefined) return REDRESS_FETCH_DEFAULTS[name]
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${OWNER}: ${name} must be a whole number of bytes >= 0, got ${describeValue(value)}`)
  }
  return value
}

function withoutRedress(init: RequestInit): RequestInit {
  const { redress: _redress, ...rest } = init
  return rest
}

/** A `Request` from any realm or copy of undici (`instanceof` would miss undici's own class). */
function isRequestLike(input: unknown): input is Request {
  if (typeof input !== 'object' || input === null || input instanceof URL) return false
  const r = input as Partial<Request>
  return typeof r.url === 'string' && typeof r.method === 'string' && typeof r.headers === 'object'
}

function parseHeaders(value: unknown): Headers | undefined {
  try {
    return new Headers(value as HeadersInit | undefined)
  } catch {
    return undefined
  }
}
