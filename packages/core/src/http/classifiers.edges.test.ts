/**
 * Edges of the HTTP classifiers that the mutation run (`pnpm mutation`) found unpinned. Imported
 * through the `@redress/core/http` entry.
 */
import { afterEach, describe, expect, it, vi } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import {
  classifyNetworkError,
  classifyResponse,
  httpClassifier,
  provesNotProcessed,
  requestClassifiers,
} from './index.ts'

const NOW_MS = Date.UTC(2026, 0, 1)
const coded = (code: string, props: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(code), { code, ...props })

afterEach(() => {
  vi.restoreAllMocks()
})

describe('classifyNetworkError', () => {
  it('gives a failure without a code details of its phase only', () => {
    const timeout = classifyNetworkError(Object.assign(new Error('t'), { name: 'TimeoutError' }))
    expect(timeout?.details).toStrictEqual({ phase: 'unknown' })
  })

  it('matches a browser message only when it is a string', () => {
    const notText = { name: 'TypeError', message: { toString: () => 'Failed to fetch (api.example.com)' } }
    expect(classifyNetworkError(notText)).toBeUndefined()
  })

  it.each([['Oops: Failed to fetch (api.example.com)'], ['Failed to fetch (api.example.com) again']])(
    'matches the Chromium host-suffixed message whole, not inside %j',
    (message) => {
      expect(classifyNetworkError(new TypeError(message))).toBeUndefined()
    },
  )

  it('reads at most 8 members of an AggregateError', () => {
    const plain = Array.from({ length: 8 }, (_, i) => new Error(`e${i}`))
    expect(classifyNetworkError(new AggregateError([...plain, coded('ECONNREFUSED')]))).toBeUndefined()
    expect(classifyNetworkError(new AggregateError([...plain.slice(1), coded('ECONNREFUSED')]))).toMatchObject({
      details: { code: 'ECONNREFUSED' },
    })
  })

  it('still reads the error itself when its errors field cannot be inspected', () => {
    const { proxy, revoke } = Proxy.revocable([], {})
    revoke()
    const error = coded('ECONNRESET', { errors: proxy })
    expect(classifyNetworkError(error)).toEqual({
      errorClass: ErrorClass.TRANSIENT,
      details: { code: 'ECONNRESET', phase: 'unknown' },
    })
  })
})

describe('provesNotProcessed', () => {
  it('counts a 429 only for a RATE_LIMIT classification', () => {
    expect(provesNotProcessed({ errorClass: ErrorClass.RATE_LIMIT, details: { status: 429 } })).toBe(true)
    expect(provesNotProcessed({ errorClass: ErrorClass.TRANSIENT, details: { status: 429 } })).toBe(false)
  })

  it('reads a 429 on the error itself, as status or statusCode, or on its response', () => {
    expect(provesNotProcessed(Object.assign(new Error('x'), { status: 429 }))).toBe(true)
    expect(provesNotProcessed(Object.assign(new Error('x'), { statusCode: 429 }))).toBe(true)
    expect(provesNotProcessed(Object.assign(new Error('x'), { response: { status: 429 } }))).toBe(true)
    expect(provesNotProcessed(Object.assign(new Error('x'), { status: 503 }))).toBe(false)
  })
})

describe('classifyResponse with retryStatuses', () => {
  const response = (status: number, headers: Record<string, string> = {}) => ({ status, headers })

  it('keeps the class of a listed status that is retryable anyway', () => {
    expect(classifyResponse(response(429), NOW_MS, new Set([429, 503]))).toEqual({
      errorClass: ErrorClass.RATE_LIMIT,
      details: { status: 429 },
    })
  })

  it('leaves an unlisted status of a class never retried as it is', () => {
    expect(classifyResponse(response(404), NOW_MS, new Set([503]))).toEqual({
      errorClass: ErrorClass.PERMANENT,
      details: { status: 404 },
    })
  })

  it('makes a listed 404 retryable, honouring its Retry-After', () => {
    expect(classifyResponse(response(404, { 'retry-after': '3' }), NOW_MS, new Set([404]))).toEqual({
      errorClass: ErrorClass.TRANSIENT,
      retryAfterMs: 3_000,
      details: { status: 404 },
    })
  })

  it('adds no retryAfterMs field when the headers ask for no delay', () => {
    const classification = classifyResponse(response(503), NOW_MS)
    expect(classification).toStrictEqual({ errorClass: ErrorClass.SERVER_ERROR, details: { status: 503 } })
  })
})

describe('httpClassifier', () => {
  it('gives a network error its code and phase', () => {
    expect(httpClassifier(coded('ECONNREFUSED'))).toEqual({
      errorClass: ErrorClass.TRANSIENT,
      details: { code: 'ECONNREFUSED', phase: 'connect' },
    })
  })

  it("classifies an error's response by its status, with details", () => {
    const error = Object.assign(new Error('bad gateway'), { response: { status: 502, headers: {} } })
    expect(httpClassifier(error)).toEqual({ errorClass: ErrorClass.SERVER_ERROR, details: { status: 502 } })
  })

  it('falls back to defaultClassifier, and never throws, even when the wall clock does', () => {
    vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('no clock')
    })
    const error = Object.assign(new Error('x'), { response: { status: 502, headers: {} } })
    expect(httpClassifier(error)).toStrictEqual({ errorClass: ErrorClass.SERVER_ERROR })
  })
})

describe('requestClassifiers', () => {
  const GET = { method: 'GET', bodyReplayable: true }

  it('reads an HTTP-date Retry-After against Date.now by default', () => {
    const { resultClassifier } = requestClassifiers(GET)
    const far = { status: 503, headers: { 'retry-after': 'Fri, 31 Dec 9999 23:59:59 GMT' } }
    expect((resultClassifier(far) as { retryAfterMs?: number }).retryAfterMs).toBeGreaterThan(0)
  })

  it('keeps the reason of a failure already marked not retryable', () => {
    const { resultClassifier } = requestClassifiers(
      { method: 'PUT', bodyReplayable: false },
      { retryStatuses: new Set([503]) },
    )
    expect(resultClassifier({ status: 500, headers: {} })).toEqual({
      errorClass: ErrorClass.SERVER_ERROR,
      retryable: false,
      details: { status: 500, reason: 'status_not_retryable' },
    })
  })

  it("applies the request's facts to a fallback's explicitly retryable answer", () => {
    const { classifier } = requestClassifiers(
      { method: 'POST', bodyReplayable: true },
      { fallback: () => ({ errorClass: ErrorClass.TRANSIENT, retryable: true }) },
    )
    expect(classifier(new Error('odd'))).toEqual({
      errorClass: ErrorClass.TRANSIENT,
      retryable: false,
      details: { reason: 'non_idempotent' },
    })
  })

  describe('errors carrying a response (a custom fallback answers PERMANENT, so its use shows)', () => {
    const { classifier } = requestClassifiers(GET, { fallback: () => ErrorClass.PERMANENT })

    it("classifies undici's ResponseError by its own statusCode and headers", () => {
      const error = Object.assign(new Error('x'), { statusCode: 503, headers: { 'retry-after': '2' } })
      expect(classifier(error)).toEqual({
        errorClass: ErrorClass.SERVER_ERROR,
        retryAfterMs: 2_000,
        details: { status: 503 },
      })
    })

    it('reads the error itself when its response is a success', () => {
      const error = Object.assign(new Error('x'), { response: { status: 200 }, statusCode: 502, headers: {} })
      expect(classifier(error)).toEqual({ errorClass: ErrorClass.SERVER_ERROR, details: { status: 502 } })
    })

    it.each([
      ['a bare status without headers', { statusCode: 503 }],
      ['null headers', { statusCode: 503, headers: null }],
      ['headers that are a string', { statusCode: 503, headers: 'retry-after: 2' }],
      ['a response that is a function', { response: Object.assign(() => undefined, { status: 503 }) }],
    ])('leaves %s to the fallback', (_case, props) => {
      expect(classifier(Object.assign(new Error('x'), props))).toEqual({ errorClass: ErrorClass.PERMANENT })
    })
  })

  describe('validation', () => {
    it('accepts a predicate for retryStatuses', () => {
      const { resultClassifier } = requestClassifiers(GET, { retryStatuses: (status) => status === 503 })
      expect(resultClassifier({ status: 503, headers: {} })).toEqual({
        errorClass: ErrorClass.SERVER_ERROR,
        details: { status: 503 },
      })
    })

    it.each([
      [null, 'requestClassifiers: retryStatuses must be a Set of statuses or a predicate, got null'],
      [[503], 'requestClassifiers: retryStatuses must be a Set of statuses or a predicate, got'],
    ])('rejects retryStatuses %j, naming it', (retryStatuses, message) => {
      expect(() => requestClassifiers(GET, { retryStatuses: retryStatuses as never })).toThrow(
        new RegExp(`^${message.replace(/[()]/g, '\\$&')}`),
      )
    })

    it('names request.bodyReplayable and request.method in their errors', () => {
      expect(() => requestClassifiers({ method: 'GET', bodyReplayable: 'yes' as never })).toThrow(
        /^requestClassifiers: request\.bodyReplayable must be a boolean/,
      )
      expect(() => requestClassifiers({ method: 'GET' } as never)).toThrow(
        /^requestClassifiers: request\.bodyReplayable must be a boolean, got undefined$/,
      )
      expect(() => requestClassifiers({ method: 5, bodyReplayable: true } as never)).toThrow(
        /^requestClassifiers: request\.method must be a string, got 5$/,
      )
    })
  })
})
