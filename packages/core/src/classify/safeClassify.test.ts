import { describe, expect, it } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import { classificationOf, safeClassify, safeClassifyResult, toClassification } from './safeClassify.ts'

describe('classificationOf', () => {
  it('hands out one frozen classification per class', () => {
    const first = classificationOf(ErrorClass.TRANSIENT)
    expect(first).toEqual({ errorClass: ErrorClass.TRANSIENT })
    expect(Object.isFrozen(first)).toBe(true)
    expect(classificationOf(ErrorClass.TRANSIENT)).toBe(first)
    expect(classificationOf(ErrorClass.AUTH)).not.toBe(first)
  })
})

describe('toClassification', () => {
  it('turns a class name into its classification', () => {
    expect(toClassification('RATE_LIMIT')).toBe(classificationOf(ErrorClass.RATE_LIMIT))
  })

  it.each([['NOPE'], [5], [null], [undefined], [true], [{}], [{ errorClass: 'NOPE' }], [{ errorClass: 5 }]])(
    'answers UNKNOWN for %j',
    (value) => {
      expect(toClassification(value)).toEqual({ errorClass: ErrorClass.UNKNOWN })
    },
  )

  it('answers UNKNOWN for an object whose fields cannot be read', () => {
    const hostile = {
      get errorClass(): never {
        throw new Error('boom')
      },
    }
    expect(toClassification(hostile)).toEqual({ errorClass: ErrorClass.UNKNOWN })
  })

  it('keeps a valid classification as it is, details and all', () => {
    const valid = { errorClass: ErrorClass.RATE_LIMIT, retryAfterMs: 250, details: { status: 429 } }
    expect(toClassification(valid)).toBe(valid)
    const noDelay = { errorClass: ErrorClass.SERVER_ERROR, retryable: false }
    expect(toClassification(noDelay)).toBe(noDelay)
  })

  it.each([[0], [1], [Number.MAX_VALUE]])('keeps the server delay %d', (retryAfterMs) => {
    expect(toClassification({ errorClass: ErrorClass.RATE_LIMIT, retryAfterMs })).toEqual({
      errorClass: ErrorClass.RATE_LIMIT,
      retryAfterMs,
    })
  })

  it.each([[-1], [-0.5], [Number.NaN], [Number.POSITIVE_INFINITY], ['5'], [null]])(
    'drops the malformed server delay %j and keeps the rest',
    (retryAfterMs) => {
      const result = toClassification({ errorClass: ErrorClass.RATE_LIMIT, retryAfterMs, details: { status: 429 } })
      expect(result).toEqual({ errorClass: ErrorClass.RATE_LIMIT, details: { status: 429 } })
      expect('retryAfterMs' in result).toBe(false)
    },
  )
})

describe('safeClassify and safeClassifyResult', () => {
  it('answers UNKNOWN when the classifier throws', () => {
    const throwing = (): never => {
      throw new Error('bug')
    }
    expect(safeClassify(throwing, new Error('x'))).toEqual({ errorClass: ErrorClass.UNKNOWN })
    expect(safeClassify(() => 'AUTH', new Error('x'))).toEqual({ errorClass: ErrorClass.AUTH })
  })

  it('calls a value a success when the result classifier answers undefined or throws', () => {
    expect(safeClassifyResult(() => undefined, 1)).toBeUndefined()
    expect(
      safeClassifyResult(() => {
        throw new Error('bug')
      }, 1),
    ).toBeUndefined()
    expect(safeClassifyResult(() => 'SERVER_ERROR', 1)).toEqual({ errorClass: ErrorClass.SERVER_ERROR })
  })
})
