import { describe, expect, it } from 'vitest'
import { isIdempotent } from './isIdempotent.ts'

describe('isIdempotent', () => {
  it.each([
    ['GET', true],
    ['HEAD', true],
    ['OPTIONS', true],
    ['TRACE', true],
    ['PUT', true],
    ['DELETE', true],
    ['QUERY', true],
    ['get', true],
    ['Delete', true],
    ['POST', false],
    ['PATCH', false],
    ['CONNECT', false],
    ['post', false],
    ['', false],
    ['GET ', false],
  ])('answers %j → %s without headers', (method, expected) => {
    expect(isIdempotent(method)).toBe(expected)
  })

  it('makes any method idempotent with a non-empty Idempotency-Key, in any headers shape', () => {
    expect(isIdempotent('POST', { 'Idempotency-Key': 'order-42' })).toBe(true)
    expect(isIdempotent('PATCH', new Headers({ 'idempotency-key': '"8e03978e"' }))).toBe(true)
    expect(isIdempotent('POST', ['Idempotency-Key', 'k'])).toBe(true)
    expect(isIdempotent('POST', [['idempotency-key', 'k'] as const])).toBe(true)
  })

  it('does not count an empty or blank Idempotency-Key', () => {
    expect(isIdempotent('POST', { 'Idempotency-Key': '' })).toBe(false)
    expect(isIdempotent('POST', { 'Idempotency-Key': '  ' })).toBe(false)
    expect(isIdempotent('POST', { 'Idempotency-Key': null })).toBe(false)
    expect(isIdempotent('POST', { 'X-Idempotency-Key': 'k' })).toBe(false)
  })

  it('answers false, without throwing, for a method that is not a string or hostile headers', () => {
    expect(isIdempotent(undefined as unknown as string)).toBe(false)
    const hostile = {
      get(): never {
        throw new Error('boom')
      },
    }
    expect(isIdempotent('POST', hostile)).toBe(false)
  })
})
