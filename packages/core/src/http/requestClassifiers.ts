import type { Classification, Classifier, ResultClassifier } from '../Classification.ts'
import { safeGet } from '../classify/errorCodes.ts'
import { classificationOf, safeClassify } from '../classify/safeClassify.ts'
import { describeValue } from '../describeValue.ts'
import { ErrorClass, NON_RETRYABLE_CLASSES } from '../ErrorClass.ts'
import { isolate } from '../guard/isolate.ts'
import { booleanOption, functionOption, objectOption, optionNames, optionsObject } from '../guard/validate.ts'
import { classifyNetworkError } from './classifyNetworkError.ts'
import { classifyRejectedStatus } from './classifyRejectedStatus.ts'
import { classifyResponse, type RetryStatuses } from './classifyResponse.ts'
import type { HeadersLike } from './headers/getHeader.ts'
import { isIdempotent } from './isIdempotent.ts'
import type { NotRetryableReason } from './NotRetryableReason.ts'
import { provesNotProcessed } from './provesNotProcessed.ts'

/** What the classifiers need to know about the request being retried. */
export interface HttpRequestFacts {
  /** The request method, any case (`'GET'`, `'post'`). */
  readonly method: string
  /** The request headers, in any {@link HeadersLike} shape; read for `Idempotency-Key`. */
  readonly headers?: HeadersLike | null | undefined
  /**
   * Whether the body can be sent again. Read at every classification, so an adapter sets it to
   * `false` once a one-shot body (a stream) has been sent; from then on no failure is retried.
   */
  bodyReplayable: boolean
}

/** Options of {@link requestClassifiers}. */
export interface RequestClassifierOptions {
  /**
   * Retry non-idempotent requests (POST, PATCH … without `Idempotency-Key`) after any retryable
   * failure, not only after one that proves the server did not process them.
   * @default false
   */
  retryNonIdempotent?: boolean | undefined
  /**
   * The statuses to retry, as a set or a predicate (see `RetryStatuses`).
   * @default every status `classifyStatus` puts in a retryable class (408, 409, 425, 429, 5xx but 501 and 505)
   */
  retryStatuses?: RetryStatuses | undefined
  /**
   * The wall clock, in epoch milliseconds, to turn `Retry-After` dates into delays. Not the
   * engine's monotonic clock: HTTP-dates are wall-clock times.
   * @default Date.now
   */
  now?: (() => number) | undefined
  /**
   * Classifies errors that are neither network errors, responses, nor aborts. Its answer is
   * still subject to the idempotency and body rules.
   * @default network errors, then a numeric `status`/`statusCode` on the error, then UNKNOWN
   */
  fallback?: Classifier | undefined
}

/** The pair of per-call overrides an adapter hands to the engine. */
export interface RequestClassifiers {
  /** Classifies a thrown error (network failure, axios error with a response, abort, other). */
  readonly classifier: Classifier
  /** Classifies a response: `undefined` for a success, else the class of its status. */
  readonly resultClassifier: ResultClassifier
}

/** The defaults of {@link RequestClassifierOptions}, resolved once. */
export const REQUEST_CLASSIFIER_DEFAULTS: { readonly retryNonIdempotent: false } = Object.freeze({
  retryNonIdempotent: false,
} as const)

/**
 * Builds the request-aware classifiers an adapter passes to `policy.call` as per-call
 * `classifier` and `resultClassifier`.
 *
 * - `resultClassifier(response)`: the class of the response's status (`classifyResponse`), with
 *   `retryAfterMs` from its headers on any retryable status and `details.status`; `undefined` for
 *   a success.
 * - `classifier(error)`: network errors (`classifyNetworkError`); an error carrying a response
 *   (axios's `error.response`, undici's `ResponseError`) like a response, and axios's rejection
 *   of a 1xx–3xx status (`maxRedirects: 0`, or the caller's `validateStatus`) as PERMANENT, never
 *   retried; an `AbortError` as not retryable (`details.reason: 'aborted'`); anything else through
 *   `fallback`.
 *
 * Then the request's facts apply to every failure of a retryable class, keeping its true class:
 * once a one-shot body was sent, nothing is retried (`reason: 'body_not_replayable'`); a
 * non-idempotent request (see `isIdempotent`) is retried only after a failure that proves the
 * server did not process it (`provesNotProcessed`: a connect-phase network error or a 429),
 * unless `retryNonIdempotent` (`reason: 'non_idempotent'`). Neither classifier ever throws.
 *
 * @throws {TypeError} when `request` or an option has the wrong type, naming it and its value
 *
 * @example
 * const { classifier, resultClassifier } = requestClassifiers({ method: 'POST', headers, bodyReplayable: true })
 * await policy.call(() => fetch(url, init), { classifier, resultClassifier })
 */
export function requestClassifiers(
  request: HttpRequestFacts,
  options: RequestClassifierOptions = {},
): RequestClassifiers {
  validate(request, options)
  const retryNonIdempotent = options.retryNonIdempotent ?? REQUEST_CLASSIFIER_DEFAULTS.retryNonIdempotent
  const { retryStatuses } = options
  const now = options.now ?? ((): number => Date.now())
  // Without a clock, HTTP-dates cannot become delays; delay-seconds still can.
  const readNow = (): number => isolate(Number.NaN, now)
  const fallback: Classifier =
    options.fallback ??
    ((error) => classifyNetworkError(error) ?? classifyResponse(error, readNow(), retryStatuses) ?? ErrorClass.UNKNOWN)

  const applyRequestFacts = (classification: Classification): Classification => {
    if (NON_RETRYABLE_CLASSES.has(classification.errorClass) || classification.retryable === false)
      return classification
    if (request.bodyReplayable === false) return notRetryable(classification, 'body_not_replayable')
    if (retryNonIdempotent || provesNotProcessed(classification)) return classification
    return isIdempotent(request.method, request.headers)
      ? classification
      : notRetryable(classification, 'non_idempotent')
  }

  const classifier: Classifier = (error) => {
    try {
      const classification =
        classifyNetworkError(error) ??
        classifyCarriedResponse(error, readNow(), retryStatuses) ??
        classifyAbort(error) ??
        safeClassify(fallback, error)
      return applyRequestFacts(classification)
    } catch {
      return applyRequestFacts(classificationOf(ErrorClass.UNKNOWN))
    }
  }

  const resultClassifier: ResultClassifier = (value) => {
    try {
      const classification = classifyResponse(value, readNow(), retryStatuses)
      return classification === undefined ? undefined : applyRequestFacts(classification)
    } catch {
      // A result that cannot even be read is passed through as a success, as the engine does.
      return undefined
    }
  }

  return Object.freeze({ classifier, resultClassifier })
}

function classifyCarriedResponse(
  error: unknown,
  nowMs: number,
  retryStatuses: RetryStatuses | undefined,
): Classification | undefined {
  const response = safeGet(error, 'response')
  const carried = typeof response === 'object' && response !== null
  if (carried) {
    const classification = classifyResponse(response, nowMs, retryStatuses)
    if (classification !== undefined) return classification
  }
  // undici's ResponseError carries statusCode and headers itself; a bare numeric status is
  // left to the fallback, which the caller may want to own.
  const headers = safeGet(error, 'headers')
  if (typeof headers === 'object' && headers !== null) {
    const classification = classifyResponse(error, nowMs, retryStatuses)
    if (classification !== undefined) return classification
  }
  return carried ? classifyRejectedStatus(error, response) : undefined
}

function classifyAbort(error: unknown): Classification | undefined {
  const name = safeGet(error, 'name')
  // axios names its abort CanceledError (code ERR_CANCELED).
  if (name !== 'AbortError' && name !== 'CanceledError') return undefined
  const reason: NotRetryableReason = 'aborted'
  return { errorClass: ErrorClass.UNKNOWN, retryable: false, details: { reason } }
}

function notRetryable(classification: Classification, reason: NotRetryableReason): Classification {
  return { ...classification, retryable: false, details: { ...classification.details, reason } }
}

const OWNER = 'requestClassifiers'
const KNOWN: ReadonlySet<string> = optionNames<RequestClassifierOptions>({
  retryNonIdempotent: true,
  retryStatuses: true,
  now: true,
  fallback: true,
})

function validate(request: HttpRequestFacts, options: RequestClassifierOptions): void {
  const facts = objectOption<HttpRequestFacts>(OWNER, 'request', request ?? null)
  if (typeof facts?.method !== 'string') {
    throw new TypeError(`${OWNER}: request.method must be a string, got ${describeValue(facts?.method)}`)
  }
  if (booleanOption(OWNER, 'request.bodyReplayable', facts.bodyReplayable) === undefined) {
    throw new TypeError(`${OWNER}: request.bodyReplayable must be a boolean, got undefined`)
  }
  const o = optionsObject(OWNER, options, KNOWN) as RequestClassifierOptions
  booleanOption(OWNER, 'retryNonIdempotent', o.retryNonIdempotent)
  const { retryStatuses } = o
  if (
    retryStatuses !== undefined &&
    typeof retryStatuses !== 'function' &&
    typeof (retryStatuses as { has?: unknown } | null)?.has !== 'function'
  ) {
    throw new TypeError(
      `${OWNER}: retryStatuses must be a Set of statuses or a predicate, got ${describeValue(retryStatuses)}`,
    )
  }
  functionOption(OWNER, 'now', o.now)
  functionOption(OWNER, 'fallback', o.fallback)
}
