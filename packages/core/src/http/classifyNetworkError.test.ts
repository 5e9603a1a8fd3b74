import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classifyNetworkError } from './classifyNetworkError.ts'
import { provesNotProcessed } from './provesNotProcessed.ts'

const coded = (code: string, message = code, extra: Record<string, unknown> = {}): Error =>
  Object.assign(new Error(message), { code, ...extra })

describe('classifyNetworkError', () => {
  it.each([
    ['ECONNREFUSED', coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), 'ECONNREFUSED', 'connect'],
    ['ENOTFOUND', coded('ENOTFOUND', 'getaddrinfo ENOTFOUND x.invalid'), 'ENOTFOUND', 'connect'],
    ['EAI_AGAIN', coded('EAI_AGAIN'), 'EAI_AGAIN', 'connect'],
    ['ENETUNREACH', coded('ENETUNREACH'), 'ENETUNREACH', 'connect'],
    ['EHOSTUNREACH', coded('EHOSTUNREACH'), 'EHOSTUNREACH', 'connect'],
    [
      'ERR_SOCKET_CONNECTION_TIMEOUT',
      coded('ERR_SOCKET_CONNECTION_TIMEOUT'),
      'ERR_SOCKET_CONNECTION_TIMEOUT',
      'connect',
    ],
    [
      "undici's ConnectTimeoutError",
      Object.assign(new Error('Connect Timeout Error'), {
        name: 'ConnectTimeoutError',
        code: 'UND_ERR_CONNECT_TIMEOUT',
      }),
      'UND_ERR_CONNECT_TIMEOUT',
      'connect',
    ],
    [
      'ETIMEDOUT raised by connect()',
      coded('ETIMEDOUT', 'connect ETIMEDOUT', { syscall: 'connect' }),
      'ETIMEDOUT',
      'connect',
    ],
    ['ETIMEDOUT on a read', coded('ETIMEDOUT', 'read ETIMEDOUT', { syscall: 'read' }), 'ETIMEDOUT', 'unknown'],
    ['ECONNRESET', coded('ECONNRESET', 'read ECONNRESET', { syscall: 'read' }), 'ECONNRESET', 'unknown'],
    ['EPIPE', coded('EPIPE'), 'EPIPE', 'unknown'],
    ['ENETRESET', coded('ENETRESET'), 'ENETRESET', 'unknown'],
    [
      "undici's SocketError",
      { name: 'SocketError', code: 'UND_ERR_SOCKET', message: 'other side closed' },
      'UND_ERR_SOCKET',
      'unknown',
    ],
    [
      'UND_ERR_HEADERS_TIMEOUT',
      { name: 'HeadersTimeoutError', code: 'UND_ERR_HEADERS_TIMEOUT' },
      'UND_ERR_HEADERS_TIMEOUT',
      'unknown',
    ],
    [
      'UND_ERR_BODY_TIMEOUT',
      { name: 'BodyTimeoutError', code: 'UND_ERR_BODY_TIMEOUT' },
      'UND_ERR_BODY_TIMEOUT',
      'unknown',
    ],
    [
      "axios's own timeout",
      { name: 'AxiosError', code: 'ECONNABORTED', message: 'timeout of 10ms exceeded' },
      'ECONNABORTED',
      'unknown',
    ],
    ["axios's network error", { name: 'AxiosError', code: 'ERR_NETWORK' }, 'ERR_NETWORK', 'unknown'],
  ])('classifies %s as TRANSIENT', (_case, error, code, phase) => {
    expect(classifyNetworkError(error)).toEqual({ errorClass: 'TRANSIENT', details: { code, phase } })
  })

  it("finds the code under fetch's TypeError('fetch failed')", () => {
    const error = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    })
    expect(classifyNetworkError(error)).toEqual({
      errorClass: 'TRANSIENT',
      details: { code: 'ECONNREFUSED', phase: 'connect' },
    })
    const reset = new TypeError('fetch failed', { cause: { name: 'SocketError', code: 'UND_ERR_SOCKET' } })
    expect(classifyNetworkError(reset)?.details).toEqual({ code: 'UND_ERR_SOCKET', phase: 'unknown' })
  })

  it('looks past a non-network code on an outer error to the cause', () => {
    const error = Object.assign(new Error('wrapped'), {
      code: 'ERR_WRAPPED',
      cause: new Error('deeper', { cause: coded('ECONNRESET') }),
    })
    expect(classifyNetworkError(error)?.details).toEqual({ code: 'ECONNRESET', phase: 'unknown' })
  })

  it('takes the connect phase from a cause that carries the syscall when the wrapper copied only the code', () => {
    const error = Object.assign(new Error('connect ETIMEDOUT'), {
      name: 'AxiosError',
      code: 'ETIMEDOUT',
      cause: coded('ETIMEDOUT', 'connect ETIMEDOUT 10.0.0.1:443', { syscall: 'connect' }),
    })
    expect(classifyNetworkError(error)?.details).toEqual({ code: 'ETIMEDOUT', phase: 'connect' })
  })

  it("reads the members of Node's happy-eyeballs AggregateError", () => {
    const error = new AggregateError([coded('ECONNREFUSED', 'connect ECONNREFUSED ::1:80'), coded('ECONNREFUSED')], '')
    expect(classifyNetworkError(error)?.details).toEqual({ code: 'ECONNREFUSED', phase: 'connect' })
  })

  it('classifies a TimeoutError as TRANSIENT without a code', () => {
    expect(classifyNetworkError(new DOMException('The operation was aborted due to timeout', 'TimeoutError'))).toEqual({
      errorClass: 'TRANSIENT',
      details: { phase: 'unknown' },
    })
    const named = Object.assign(new Error('attempt timed out'), { name: 'TimeoutError' })
    expect(classifyNetworkError(new TypeError('fetch failed', { cause: named }))?.errorClass).toBe('TRANSIENT')
  })

  // Issue 15: a browser's fetch rejects with a bare TypeError, no code and no cause.
  it.each([
    ['Chromium', 'Failed to fetch'],
    ['Chromium, naming the host', 'Failed to fetch (api.example.com)'],
    ['Firefox', 'NetworkError when attempting to fetch resource.'],
    ['Safari 17+', 'Load failed'],
    ['Safari 16', 'The Internet connection appears to be offline.'],
    ['Safari', 'The network connection was lost.'],
    ['React Native and the fetch polyfills', 'Network request failed'],
  ])("classifies %s's network TypeError as TRANSIENT, in an unknown phase", (_browser, message) => {
    expect(classifyNetworkError(new TypeError(message))).toEqual({
      errorClass: 'TRANSIENT',
      details: { phase: 'unknown' },
    })
    // Seen through a wrapper's cause, or as a plain object from another realm, it is the same failure.
    expect(classifyNetworkError(new Error('request failed', { cause: new TypeError(message) }))?.errorClass).toBe(
      'TRANSIENT',
    )
    expect(classifyNetworkError({ name: 'TypeError', message })?.details).toEqual({ phase: 'unknown' })
  })

  it("never lets a browser's network error prove that a POST was not processed", () => {
    for (const message of ['Failed to fetch', 'NetworkError when attempting to fetch resource.', 'Load failed']) {
      expect(provesNotProcessed(new TypeError(message))).toBe(false)
      expect(provesNotProcessed(classifyNetworkError(new TypeError(message)))).toBe(false)
    }
  })

  it.each([
    ['an Error (not a TypeError) with a browser message', new Error('Failed to fetch')],
    ['a TypeError with another message', new TypeError("Failed to execute 'fetch' on 'Window': Invalid name")],
    ['a TypeError that only starts like a browser message', new TypeError('Failed to fetch the user list')],
    ['a TypeError with a message in another case', new TypeError('failed to fetch')],
    ['a TypeError whose message is not a string', { name: 'TypeError', message: 42 }],
  ])('answers undefined for %s', (_case, error) => {
    expect(classifyNetworkError(error)).toBeUndefined()
  })

  it.each([
    ['an AbortError', new DOMException('This operation was aborted', 'AbortError')],
    ["undici's RequestAbortedError", { name: 'AbortError', code: 'UND_ERR_ABORTED' }],
    ["axios's CanceledError", { name: 'CanceledError', code: 'ERR_CANCELED' }],
    ['an HTTP status error', { name: 'AxiosError', code: 'ERR_BAD_RESPONSE', response: { status: 503 } }],
    ['a plain Error', new Error('nope')],
    ['fetch failed with an unknown cause', new TypeError('fetch failed', { cause: new Error('bad port') })],
    ['a numeric code', { code: 503 }],
    ['a string', 'ECONNRESET'],
    ['null', null],
    ['undefined', undefined],
  ])('answers undefined for %s', (_case, error) => {
    expect(classifyNetworkError(error)).toBeUndefined()
  })

  it('stops on a cause cycle', () => {
    const a: { cause?: unknown } = {}
    const b = { cause: a }
    a.cause = b
    expect(classifyNetworkError(a)).toBeUndefined()
  })

  it('never throws, whatever it is handed', () => {
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    const throwing = Object.defineProperty({}, 'code', {
      get(): never {
        throw new Error('boom')
      },
    })
    const throwingErrors = { errors: proxy }
    for (const value of [proxy, throwing, throwingErrors, { cause: proxy }]) {
      expect(() => classifyNetworkError(value)).not.toThrow()
    }
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const c = classifyNetworkError(value)
        return c === undefined || c.errorClass === 'TRANSIENT'
      }),
    )
  })
})

describe('provesNotProcessed', () => {
  it('is true for connect-phase network errors, as errors or as their classification', () => {
    const refused = new TypeError('fetch failed', { cause: coded('ECONNREFUSED') })
    expect(provesNotProcessed(refused)).toBe(true)
    expect(provesNotProcessed(classifyNetworkError(refused))).toBe(true)
    expect(provesNotProcessed(coded('UND_ERR_CONNECT_TIMEOUT'))).toBe(true)
  })

  it('is true for a 429, as a classification or an error carrying the response', () => {
    expect(provesNotProcessed({ errorClass: 'RATE_LIMIT', details: { status: 429 } })).toBe(true)
    expect(provesNotProcessed({ name: 'AxiosError', response: { status: 429, headers: {} } })).toBe(true)
    expect(provesNotProcessed({ name: 'ResponseError', statusCode: 429, headers: {} })).toBe(true)
  })

  it('is false when the server may have processed the request', () => {
    expect(provesNotProcessed(coded('ECONNRESET'))).toBe(false)
    expect(provesNotProcessed({ name: 'SocketError', code: 'UND_ERR_SOCKET' })).toBe(false)
    expect(provesNotProcessed(new DOMException('timeout', 'TimeoutError'))).toBe(false)
    expect(provesNotProcessed(classifyNetworkError(coded('ECONNRESET')))).toBe(false)
    expect(provesNotProcessed({ errorClass: 'SERVER_ERROR', details: { status: 503 } })).toBe(false)
    expect(provesNotProcessed({ errorClass: 'RATE_LIMIT' })).toBe(false)
    expect(provesNotProcessed({ response: { status: 503 } })).toBe(false)
    expect(provesNotProcessed(undefined)).toBe(false)
  })
})
