import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseContentRange } from './parseContentRange.ts'

describe('parseContentRange', () => {
  it.each([
    ['bytes 0-499/1234', { start: 0, end: 499, total: 1234 }],
    ['bytes 500-1233/1234', { start: 500, end: 1233, total: 1234 }],
    ['bytes 42-1233/*', { start: 42, end: 1233, total: undefined }],
    ['BYTES 1-1/2', { start: 1, end: 1, total: 2 }],
    ['  bytes 7-9/10\t', { start: 7, end: 9, total: 10 }],
  ])('reads the satisfied range %j', (value, expected) => {
    expect(parseContentRange(value)).toEqual(expected)
  })

  it.each([
    [undefined],
    [''],
    ['bytes */1234'], // unsatisfied-range (a 416's): nothing to splice
    ['bytes 5-4/10'], // last-pos before first-pos: invalid by RFC 9110 §14.4
    ['bytes 0-9/9'], // complete length not above last-pos: invalid
    ['bytes 0-9/10, bytes 20-29/30'],
    ['items 0-9/10'],
    ['bytes=0-9/10'],
    ['bytes 0-9'],
    ['bytes -1-9/10'],
    ['bytes 0x1-9/10'],
    ['bytes 1e3-2000/3000'],
    ['bytes 0-9999999999999999/*'], // 16 digits: past any safe position
  ])('refuses %j', (value) => {
    expect(parseContentRange(value)).toBeUndefined()
  })

  it('round-trips every valid range and never throws on anything', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.option(fc.nat(), { nil: undefined }), (a, b, extra) => {
        const start = Math.min(a, b)
        const end = Math.max(a, b)
        const total = extra === undefined ? undefined : end + 1 + extra
        expect(parseContentRange(`bytes ${start}-${end}/${total ?? '*'}`)).toEqual({ start, end, total })
      }),
    )
    fc.assert(
      fc.property(fc.string(), (value) => {
        const parsed = parseContentRange(value)
        if (parsed !== undefined) {
          expect(Number.isSafeInteger(parsed.start) && parsed.end >= parsed.start).toBe(true)
          if (parsed.total !== undefined) expect(parsed.total).toBeGreaterThan(parsed.end)
        }
      }),
    )
  })
})
