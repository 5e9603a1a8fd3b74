import { describeValue } from '../describeValue.ts'
import type { CallOptions, RetryHooks } from '../policy/RetryOptions.ts'
import { RetryPolicy } from '../policy/RetryPolicy.ts'
import { nonNegativeMs } from '../policy/resolveOptions.ts'
import type { HeadersLike } from './getHeader.ts'
import { HttpRetryPolicy, httpPolicy } from './httpPolicy.ts'
import { type HttpRequestFacts, requestClassifiers } from './requestClassifiers.ts'

/** What an operation namer sees of a request. */
export interface HttpRequestSummary {
  /** Upper-case method. */
  readonly method: string
  /** The request URL. */
  readonly url: URL
}

/** Options shared by the fetch, axios and undici adapters. */
export interface HttpAdapterOptions {
  /** The policy to run requests under. @default httpPolicy() — HTTP defaults and a budget per origin */
  policy?: RetryPolicy | undefined
  /**
   * A server delay (`Retry-After`/RateLimit) above this many ms gives up at once and hands
   * back the last response. Applies to a custom `policy` too. @default 60000
   */
  maxRetryAfterMs?: number | undefined
  /**
   * Retry non-idempotent requests (POST, PATCH … without `Idempotency-Key`) after any
   * retryable failure, not only after one proving the server never saw them. @default false
   */
  retryNonIdempotent?: boolean | undefined
  /**
   * Names the operation of a request (the `operation` tag). Keep it low-cardinality: no
   * ids or query strings. @default `${method} ${host}`, e.g. `GET api.example.com`
   */
  operation?: ((request: HttpRequestSummary) => string) | undefined
}

/** Per-request options, passed as `redress` on the request (fetch init, axios config, undici dispatch options). */
export interface RedressRequestOptions {
  /** `false` sends this request once, without the retry layer. @default true */
  retry?: boolean | undefined
  /** The operation name of this request, replacing the namer's. */
  operation?: string | undefined
  /** Replaces the adapter's `retryNonIdempotent` for this request. */
  retryNonIdempotent?: boolean | undefined
}

/** A request as the shared HTTP layer needs to see it. */
export interface HttpAttemptRequest {
  readonly method: string
  readonly url: URL
  /** The request headers (read for `Idempotency-Key`). */
  readonly headers: HeadersLike | null | undefined
  /** Whether the body can be sent again. Set to `false` once a one-shot body was sent. */
  bodyReplayable: boolean
}

/** The shared core of an HTTP adapter: the policy and the per-request call options. */
export interface HttpAdapter {
  /** The policy requests run under. */
  readonly policy: RetryPolicy
  /** The call options of one request: its classifiers, per-origin budget, tags and operation. */
  callOptions(
    request: HttpAttemptRequest,
    perRequest: RedressRequestOptions | undefined,
    extra: { signal?: AbortSignal | undefined } & RetryHooks,
  ): CallOptions
}

/** The default operation namer: `METHOD host`. */
export function defaultOperationName(request: HttpRequestSummary): string {
  return `${request.method} ${request.url.host}`
}

/**
 * Validates an adapter's options and builds the shared HTTP layer every adapter drives:
 * the default policy when none is given, and per-request call options that carry the
 * request-aware classifiers (`requestClassifiers`), the origin's budget, the `method`
 * and `host` tags and the operation name. Adapters only move bytes; every rule lives here.
 *
 * @throws TypeError/RangeError naming the option, prefixed with `owner`.
 */
export function createHttpAdapter(options: HttpAdapterOptions | undefined, owner: string): HttpAdapter {
  const o = options ?? {}
  if (typeof o !== 'object' || o === null)
    throw new TypeError(`${owner}(options): options must be an object, got ${describeValue(o)}`)
  const known = new Set(['policy', 'maxRetryAfterMs', 'retryNonIdempotent', 'operation'])
  for (const key of Object.keys(o)) {
    if (!known.has(key)) throw new TypeError(`${owner}: unknown option "${key}"`)
  }
  if (o.policy !== undefined && !(o.policy instanceof RetryPolicy)) {
    throw new TypeError(`${owner}: policy must be a RetryPolicy (e.g. httpPolicy()), got ${describeValue(o.policy)}`)
  }
  const maxRetryAfterMs = nonNegativeMs(o.maxRetryAfterMs, `${owner}: maxRetryAfterMs`)
  if (o.retryNonIdempotent !== undefined && typeof o.retryNonIdempotent !== 'boolean') {
    throw new TypeError(`${owner}: retryNonIdempotent must be a boolean, got ${describeValue(o.retryNonIdempotent)}`)
  }
  if (o.operation !== undefined && typeof o.operation !== 'function') {
    throw new TypeError(`${owner}: operation must be a function (request) => string, got ${describeValue(o.operation)}`)
  }
  const policy = o.policy ?? httpPolicy(maxRetryAfterMs === undefined ? {} : { maxRetryAfterMs })
  const namer = o.operation ?? defaultOperationName
  const adapterRetryNonIdempotent = o.retryNonIdempotent ?? false

  return {
    policy,
    callOptions(request, perRequest, extra): CallOptions {
      const method = request.method.toUpperCase()
      const summary: HttpRequestSummary = { method, url: request.url }
      let operation = perRequest?.operation
      if (operation === undefined) {
        try {
          operation = namer(summary)
        } catch {
          operation = undefined
        }
        if (typeof operation !== 'string') operation = defaultOperationName(summary)
      }
      const facts: HttpRequestFacts = request
      const { classifier, resultClassifier } = requestClassifiers(facts, {
        retryNonIdempotent: perRequest?.retryNonIdempotent ?? adapterRetryNonIdempotent,
      })
      const call: CallOptions = {
        ...extra,
        operation,
        classifier,
        resultClassifier,
        tags: { method, host: request.url.host },
      }
      if (policy instanceof HttpRetryPolicy) call.budget = policy.budgetFor(request.url.origin) ?? null
      if (maxRetryAfterMs !== undefined) call.maxRetryAfterMs = maxRetryAfterMs
      return call
    },
  }
}

/** Reads and checks the per-request `redress` options; throws a TypeError naming the field. */
export function readRequestOptions(value: unknown, owner: string): RedressRequestOptions | undefined {
  if (value === undefined || value === null) return undefined
  if (typeof value !== 'object')
    throw new TypeError(`${owner}: the request's redress option must be an object, got ${describeValue(value)}`)
  const r = value as RedressRequestOptions
  if (r.retry !== undefined && typeof r.retry !== 'boolean')
    throw new TypeError(`${owner}: redress.retry must be a boolean`)
  if (r.operation !== undefined && typeof r.operation !== 'string')
    throw new TypeError(`${owner}: redress.operation must be a string`)
  if (r.retryNonIdempotent !== undefined && typeof r.retryNonIdempotent !== 'boolean') {
    throw new TypeError(`${owner}: redress.retryNonIdempotent must be a boolean`)
  }
  return r
}
