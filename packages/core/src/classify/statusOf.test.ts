import { describe, expect, it } from 'vitest'
import { statusOf } from './statusOf.ts'

describe('statusOf', () => {
  it.each([[100], [200], [429], [599]])('reads the status %i', (status) => {
    expect(statusOf({ status })).toBe(status)
    expect(statusOf({ statusCode: status })).toBe(status)
  })

  it.each([[99], [600], [0], [-503], [200.5], [Number.NaN], [Number.POSITIVE_INFINITY], ['200'], [null]])(
    'ignores the status %j',
    (status) => {
      expect(statusOf({ status })).toBeUndefined()
      expect(statusOf({ statusCode: status })).toBeUndefined()
    },
  )

  it('prefers status, and falls back to statusCode when status is not an HTTP status', () => {
    expect(statusOf({ status: 503, statusCode: 200 })).toBe(503)
    expect(statusOf({ status: 'bad', statusCode: 502 })).toBe(502)
    expect(statusOf({ status: 600, statusCode: 404 })).toBe(404)
  })

  it('answers undefined for values that carry no status', () => {
    for (const value of [undefined, null, 503, '503', {}]) expect(statusOf(value)).toBeUndefined()
  })
})
