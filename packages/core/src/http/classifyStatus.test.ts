import { describe, expect, it } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import { classifyStatus } from './classifyStatus.ts'

function expected(status: number): ErrorClass | undefined {
  if (status < 400) return undefined
  const special: Record<number, ErrorClass> = {
    401: ErrorClass.AUTH,
    403: ErrorClass.PERMISSION,
    408: ErrorClass.TRANSIENT,
    409: ErrorClass.CONCURRENCY,
    425: ErrorClass.TRANSIENT,
    429: ErrorClass.RATE_LIMIT,
    501: ErrorClass.PERMANENT,
    505: ErrorClass.PERMANENT,
  }
  return special[status] ?? (status < 500 ? ErrorClass.PERMANENT : ErrorClass.SERVER_ERROR)
}

describe('classifyStatus', () => {
  it('classifies every status from 100 to 599 by the table', () => {
    for (let status = 100; status <= 599; status++) {
      expect([status, classifyStatus(status)]).toEqual([status, expected(status)])
    }
  })

  it.each([
    [200, undefined],
    [304, undefined],
    [400, ErrorClass.PERMANENT],
    [404, ErrorClass.PERMANENT],
    [422, ErrorClass.PERMANENT],
    [500, ErrorClass.SERVER_ERROR],
    [502, ErrorClass.SERVER_ERROR],
    [503, ErrorClass.SERVER_ERROR],
    [504, ErrorClass.SERVER_ERROR],
  ])('classifies %i as %s', (status, errorClass) => {
    expect(classifyStatus(status)).toBe(errorClass)
  })

  it.each([0, 99, 600, 999, -503, 503.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])(
    'answers undefined for %s, which is not an integer status from 100 to 599',
    (status) => {
      expect(classifyStatus(status)).toBeUndefined()
    },
  )
})
