/** Edges of the core classifiers' rules that the mutation run (`pnpm mutation`) found unpinned. */
import { describe, expect, it } from 'vitest'
import { defaultClassifier, ErrorClass, RateLimitError, ServerError, strictClassifier } from '../index.ts'

describe('defaultClassifier: what counts as a fact', () => {
  it('reads facts only from objects: a thrown function with a status or a timeout name is not classified', () => {
    expect(defaultClassifier(Object.assign(() => undefined, { status: 503 }))).toBe(ErrorClass.UNKNOWN)
    expect(defaultClassifier(function TimeoutError() {})).toBe(ErrorClass.UNKNOWN)
  })

  it('gives a non-rate-limit marker its bare class, whatever delay it carries', () => {
    const tampered = Object.assign(new ServerError('down'), { retryAfterMs: 5_000 })
    expect(defaultClassifier(tampered)).toBe(ErrorClass.SERVER_ERROR)
  })

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY], ['5000']])(
    'gives a rate-limit marker whose delay was tampered to %j the bare class',
    (retryAfterMs) => {
      const error = new RateLimitError('slow down', { retryAfterMs: 100 })
      Object.assign(error, { retryAfterMs })
      expect(defaultClassifier(error)).toBe(ErrorClass.RATE_LIMIT)
    },
  )

  it('keeps a rate-limit marker delay of 0 and of Number.MAX_VALUE', () => {
    expect(defaultClassifier(new RateLimitError('x', { retryAfterMs: 0 }))).toEqual({
      errorClass: ErrorClass.RATE_LIMIT,
      retryAfterMs: 0,
    })
    const max = Object.assign(new RateLimitError('x'), { retryAfterMs: Number.MAX_VALUE })
    expect(defaultClassifier(max)).toEqual({ errorClass: ErrorClass.RATE_LIMIT, retryAfterMs: Number.MAX_VALUE })
  })
})

describe('defaultClassifier: name heuristics', () => {
  it('reads only string names: a name or constructor name of another type is ignored', () => {
    expect(defaultClassifier({ name: ['AuthError'] })).toBe(ErrorClass.UNKNOWN)
    expect(defaultClassifier({ constructor: { name: ['TimeoutThing'] } })).toBe(ErrorClass.UNKNOWN)
    expect(defaultClassifier({ constructor: { name: 'TimeoutThing' } })).toBe(ErrorClass.TRANSIENT)
  })

  it('is what strictClassifier leaves out', () => {
    const error = Object.assign(new Error('x'), { name: 'ConnectionError' })
    expect(defaultClassifier(error)).toBe(ErrorClass.TRANSIENT)
    expect(strictClassifier(error)).toBe(ErrorClass.UNKNOWN)
  })
})
