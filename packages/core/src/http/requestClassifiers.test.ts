import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Classification } from '../Classification.ts'
import { toClassification } from '../classify/safeClassify.ts'
import type { HeadersLike } from './headers/getHeader.ts'
import {
  type HttpRequestFacts,
  REQUEST_CLASSIFIER_DEFAULTS,
  type RequestClassifierOptions,
  requestClassifiers,
} from './requestClassifiers.ts'

const NOW_MS = Date.UTC(2026, 0, 1)
const now = (): number => NOW_MS

const refused = (): TypeError =>
  new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED', syscall: 'connect' }),
  })
const reset = (): TypeError =>
  new TypeError('fetch failed', {
    cause: Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', syscall: 'read' }),
  })

type Failure = '503' | '429' | 'ECONNRESET' | 'ECONNREFUSED'

/** Runs one failure through the classifier that would see it: responses are results, network failures errors. */
function classify(failure: Failure, request: HttpRequestFacts, options: RequestClassifierOptions = {}): Classification {
  const { classifier, resultClassifier } = requestClassifiers(request, { now, ...options })
  const raw =
    failure === '503'
      ? resultClassifier(new Response(null, { status: 503, headers: { 'Retry-After': '2' } }))
      : failure === '429'
        ? resultClassifier(new Response(null, { status: 429, headers: { 'Retry-After': '1' } }))
        : classifier(failure === 'ECONNRESET' ? reset() : refused())
  return toClassification(raw)
}

const BASE: Record<Failure, Classification> = {
  '503': { errorClass: 'SERVER_ERROR', retryAfterMs: 2_000, details: { status: 503 } },
  '429': { errorClass: 'RATE_LIMIT', retryAfterMs: 1_000, details: { status: 429 } },
  ECONNRESET: { errorClass: 'TRANSIENT', details: { code: 'ECONNRESET', phase: 'unknown' } },
  ECONNREFUSED: { errorClass: 'TRANSIENT', details: { code: 'ECONNREFUSED', phase: 'connect' } },
}
const PROVES_NOT_PROCESSED: Record<Failure, boolean> = {
  '503': false,
  '429': true,
  ECONNRESET: false,
  ECONNREFUSED: true,
}

describe('requestClassifiers: method × failure × Idempotency-Key × retryNonIdempotent × bodyReplayable', () => {
  const rows: [string, Failure, boolean, boolean, boolean][] = []
  for (const method of ['GET', 'POST'])
    for (const failure of ['503', '429', 'ECONNRESET', 'ECONNREFUSED'] as const)
      for (const key of [false, true])
        for (const retryNonIdempotent of [false, true])
          for (const bodyReplayable of [true, false])
            rows.push([method, failure, key, retryNonIdempotent, bodyReplayable])

  it.each(rows)(
    '%s after %s (Idempotency-Key: %s, retryNonIdempotent: %s, bodyReplayable: %s)',
    (method, failure, key, retryNonIdempotent, bodyReplayable) => {
      const headers = key ? { 'Idempotency-Key': 'k-1' } : { 'content-type': 'application/json' }
      const got = classify(failure, { method, headers, bodyReplayable }, { retryNonIdempotent })
      const base = BASE[failure]
      if (!bodyReplayable) {
        expect(got).toEqual({ ...base, retryable: false, details: { ...base.details, reason: 'body_not_replayable' } })
      } else if (method === 'GET' || key || retryNonIdempotent || PROVES_NOT_PROCESSED[failure]) {
        expect(got).toEqual(base)
      } else {
        expect(got).toEqual({ ...base, retryable: false, details: { ...base.details, reason: 'non_idempotent' } })
      }
    },
  )
})

describe('requestClassifiers: behaviour', () => {
  const get: HttpRequestFacts = { method: 'GET', headers: {}, bodyReplayable: true }
  const post: HttpRequestFacts = {
    method: 'POST',
    headers: new Headers({ 'content-type': 'application/json' }),
    bodyReplayable: true,
  }

  it('does not retry a POST after a 503, keeping its class and Retry-After', () => {
    expect(classify('503', post)).toMatchObject({ errorClass: 'SERVER_ERROR', retryable: false, retryAfterMs: 2_000 })
  })

  it('retries a POST after a 429 or a refused connection', () => {
    expect(classify('429', post).retryable).toBeUndefined()
    expect(classify('ECONNREFUSED', post).retryable).toBeUndefined()
  })

  it('does not retry a POST after a timeout: the server may have processed it', () => {
    const { classifier } = requestClassifiers(post, { now })
    expect(classifier(new DOMException('timed out', 'TimeoutError'))).toEqual({
      errorClass: 'TRANSIENT',
      retryable: false,
      details: { phase: 'unknown', reason: 'non_idempotent' },
    })
  })

  it('does not retry a GET after its one-shot body was sent, reading the flag at each classification', () => {
    const request: HttpRequestFacts = { method: 'GET', headers: {}, bodyReplayable: true }
    const { classifier } = requestClassifiers(request, { now })
    expect(toClassification(classifier(reset())).retryable).toBeUndefined()
    request.bodyReplayable = false
    expect(toClassification(classifier(reset())).details).toMatchObject({ reason: 'body_not_replayable' })
  })

  it('leaves a never-retried class alone, with no reason', () => {
    const { resultClassifier } = requestClassifiers({ ...post, bodyReplayable: false }, { now })
    expect(resultClassifier({ status: 404, headers: {} })).toEqual({
      errorClass: 'PERMANENT',
      details: { status: 404 },
    })
  })

  it('calls a success a success', () => {
    const { resultClassifier } = requestClassifiers(post, { now })
    expect(resultClassifier(new Response('ok'))).toBeUndefined()
    expect(resultClassifier({ statusCode: 201, headers: {} })).toBeUndefined()
    expect(resultClassifier('not a response')).toBeUndefined()
  })

  it("classifies axios's error with a response by its status and Retry-After", () => {
    const { classifier } = requestClassifiers(get, { now })
    const axiosError = Object.assign(new Error('Request failed with status code 503'), {
      name: 'AxiosError',
      code: 'ERR_BAD_RESPONSE',
      response: { status: 503, headers: { get: (name: string) => (name === 'retry-after' ? '7' : undefined) } },
    })
    expect(classifier(axiosError)).toEqual({
      errorClass: 'SERVER_ERROR',
      retryAfterMs: 7_000,
      details: { status: 503 },
    })
  })

  /** An error carrying `response` as axios makes one: `settle`'s message for a status rejection. */
  const axiosErrorWith = (status: number, message = `Request failed with status code ${status}`): Error =>
    Object.assign(new Error(message), {
      name: 'AxiosError',
      code: 'ERR_BAD_RESPONSE',
      status,
      response: { status, headers: { location: '/elsewhere', 'retry-after': '1' } },
    })

  // axios also rejects a response that is no failure: a redirect under `maxRedirects: 0`, or a
  // status the caller's `validateStatus` refuses. The server would answer the same again.
  it.each([
    ['a 302 axios did not follow', 302, get, {}],
    ['a 201 a validateStatus refused', 201, get, {}],
    ['a 304 a validateStatus refused', 304, get, {}],
    ['a 101', 101, get, {}],
    ['a 302 of a POST whose stream body was sent', 302, { ...post, bodyReplayable: false }, {}],
    ['a 302 even when retryStatuses lists it', 302, get, { retryStatuses: new Set([302, 503]) }],
    ['a 200 even when a retryStatuses predicate accepts everything', 200, get, { retryStatuses: () => true }],
  ] as const)(
    'does not retry axios’s rejection of %s: PERMANENT, which costs no budget token',
    (_name, status, request, options) => {
      const { classifier } = requestClassifiers(request, { now, ...options })
      expect(classifier(axiosErrorWith(status))).toEqual({ errorClass: 'PERMANENT', details: { status } })
    },
  )

  it('keeps a carried 429 or 5xx retryable whatever the message', () => {
    const { classifier } = requestClassifiers(get, { now })
    expect(classifier(axiosErrorWith(429))).toEqual({
      errorClass: 'RATE_LIMIT',
      retryAfterMs: 1_000,
      details: { status: 429 },
    })
    expect(classifier(axiosErrorWith(502, 'stream has been aborted'))).toEqual({
      errorClass: 'SERVER_ERROR',
      retryAfterMs: 1_000,
      details: { status: 502 },
    })
  })

  it('leaves any other error carrying a success to the fallback: a 200 whose body was cut is retried', () => {
    const { classifier } = requestClassifiers(get, { now })
    expect(toClassification(classifier(axiosErrorWith(200, 'stream has been aborted')))).toEqual({
      errorClass: 'UNKNOWN',
    })
    // A message for another status is not the rejection of this one.
    expect(toClassification(classifier(axiosErrorWith(302, 'Request failed with status code 502')))).toEqual({
      errorClass: 'UNKNOWN',
    })
    const responseError = Object.assign(new Error('Request failed with status code 204'), {
      statusCode: 204,
      headers: {},
    })
    expect(toClassification(classifier(responseError))).toEqual({ errorClass: 'UNKNOWN' })
  })

  it('still reads an error whose response has no status by its own status and headers', () => {
    const { classifier } = requestClassifiers(get, { now })
    const error = Object.assign(new Error('x'), { response: {}, statusCode: 503, headers: { 'retry-after': '3' } })
    expect(classifier(error)).toEqual({ errorClass: 'SERVER_ERROR', retryAfterMs: 3_000, details: { status: 503 } })
    const bare = Object.assign(new Error('Request failed with status code 200'), { response: { headers: {} } })
    expect(toClassification(classifier(bare))).toEqual({ errorClass: 'UNKNOWN' })
  })

  it("classifies undici's ResponseError by its statusCode and headers", () => {
    const { classifier } = requestClassifiers(get, { now })
    const error = Object.assign(new Error('Response Error'), {
      name: 'ResponseError',
      code: 'UND_ERR_RESPONSE',
      statusCode: 429,
      headers: { 'retry-after': 'Thu, 01 Jan 2026 00:01:00 GMT' },
    })
    expect(classifier(error)).toEqual({ errorClass: 'RATE_LIMIT', retryAfterMs: 60_000, details: { status: 429 } })
  })

  it('reads HTTP-dates against the injected wall clock', () => {
    const { resultClassifier } = requestClassifiers(get, { now: () => NOW_MS + 55_000 })
    const response = { status: 503, headers: { 'retry-after': 'Thu, 01 Jan 2026 00:01:00 GMT' } }
    expect(toClassification(resultClassifier(response)).retryAfterMs).toBe(5_000)
  })

  it('marks an AbortError as not retryable', () => {
    const { classifier } = requestClassifiers(get, { now })
    for (const error of [new DOMException('aborted', 'AbortError'), { name: 'CanceledError', code: 'ERR_CANCELED' }]) {
      expect(classifier(error)).toEqual({ errorClass: 'UNKNOWN', retryable: false, details: { reason: 'aborted' } })
    }
  })

  it('reads a bare numeric status with the default fallback, else answers UNKNOWN', () => {
    const { classifier } = requestClassifiers(get, { now })
    expect(classifier(Object.assign(new Error('x'), { status: 502 }))).toEqual({
      errorClass: 'SERVER_ERROR',
      details: { status: 502 },
    })
    expect(classifier(Object.assign(new Error('x'), { statusCode: 401 }))).toEqual({
      errorClass: 'AUTH',
      details: { status: 401 },
    })
    expect(toClassification(classifier(new Error('mystery')))).toEqual({ errorClass: 'UNKNOWN' })
  })

  it('asks a custom fallback only for what it does not recognise, and still applies the request facts', () => {
    const seen: unknown[] = []
    const fallback = (error: unknown): 'CONCURRENCY' => {
      seen.push(error)
      return 'CONCURRENCY'
    }
    const { classifier } = requestClassifiers(post, { now, fallback })
    const mystery = new Error('deadlock')
    expect(classifier(mystery)).toEqual({
      errorClass: 'CONCURRENCY',
      retryable: false,
      details: { reason: 'non_idempotent' },
    })
    classifier(reset())
    expect(seen).toEqual([mystery])
  })

  it('treats a fallback that throws as answering UNKNOWN', () => {
    const fallback = (): never => {
      throw new Error('boom')
    }
    const { classifier } = requestClassifiers(get, { now, fallback })
    expect(toClassification(classifier(new Error('x'))).errorClass).toBe('UNKNOWN')
  })

  it('retries only the listed statuses, and a listed status of a never-retried class', () => {
    const { resultClassifier } = requestClassifiers(get, { now, retryStatuses: new Set([404, 503]) })
    expect(toClassification(resultClassifier({ status: 502, headers: {} }))).toMatchObject({
      retryable: false,
      details: { reason: 'status_not_retryable' },
    })
    expect(toClassification(resultClassifier({ status: 404, headers: {} }))).toEqual({
      errorClass: 'TRANSIENT',
      details: { status: 404 },
    })
  })

  it('still reads delay-seconds when the wall clock throws', () => {
    const { resultClassifier } = requestClassifiers(get, {
      now: () => {
        throw new Error('no clock')
      },
    })
    expect(toClassification(resultClassifier({ status: 503, headers: { 'retry-after': '4' } })).retryAfterMs).toBe(
      4_000,
    )
  })

  it('never throws, whatever the error or value', () => {
    const { classifier, resultClassifier } = requestClassifiers(post, { now })
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    const hostileHeaders = {
      status: 503,
      get headers(): HeadersLike {
        throw new Error('boom')
      },
    }
    for (const value of [proxy, hostileHeaders, { response: proxy }, null, undefined, 42]) {
      expect(() => classifier(value)).not.toThrow()
      expect(() => resultClassifier(value)).not.toThrow()
    }
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const c = toClassification(classifier(value))
        const r = resultClassifier(value)
        const ok = (x: Classification): boolean =>
          x.retryAfterMs === undefined || (Number.isFinite(x.retryAfterMs) && x.retryAfterMs >= 0)
        return ok(c) && (r === undefined || ok(toClassification(r)))
      }),
    )
  })

  it.each([
    ['request', null, {}, /request must be an object, got null/],
    ['request.method', { method: 1, bodyReplayable: true }, {}, /request\.method must be a string, got 1/],
    ['request.bodyReplayable', { method: 'GET' }, {}, /request\.bodyReplayable must be a boolean, got undefined/],
    ['retryNonIdempotent', get, { retryNonIdempotent: 'yes' }, /retryNonIdempotent must be a boolean, got "yes"/],
    [
      'retryStatuses',
      get,
      { retryStatuses: [503] },
      /retryStatuses must be a Set of statuses or a predicate, got an array/,
    ],
    ['now', get, { now: 5 }, /now must be a function, got 5/],
    ['fallback', get, { fallback: 'UNKNOWN' }, /fallback must be a function, got "UNKNOWN"/],
  ])('throws a TypeError naming a bad %s', (_name, request, options, message) => {
    expect(() => requestClassifiers(request as HttpRequestFacts, options as RequestClassifierOptions)).toThrow(
      TypeError,
    )
    expect(() => requestClassifiers(request as HttpRequestFacts, options as RequestClassifierOptions)).toThrow(message)
  })

  it('documents the defaults it applies', () => {
    const source = readFileSync(new URL('./requestClassifiers.ts', import.meta.url), 'utf8')
    expect(source).toMatch(
      new RegExp(`@default ${REQUEST_CLASSIFIER_DEFAULTS.retryNonIdempotent}\\n\\s*\\*/\\n\\s*retryNonIdempotent\\?`),
    )
  })
})
