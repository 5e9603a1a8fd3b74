import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { parseRetryAfter } from './parseRetryAfter.ts'

// 1994-11-06T08:49:00Z: 37 s before the RFC 9110 example date.
const NOW_MS = Date.UTC(1994, 10, 6, 8, 49, 0)
const EXAMPLE_MS = Date.UTC(1994, 10, 6, 8, 49, 37)

describe('parseRetryAfter: RFC 9110 §10.2.3 corpus', () => {
  it.each([
    ['120', 120_000],
    ['0', 0],
    ['1', 1_000],
    [' 5 ', 5_000],
    ['\t5\t', 5_000],
    ['5\r\n', 5_000],
    ['007', 7_000],
    ['0000000000000000000000030', 30_000],
    ['9999999999', 9_999_999_999_000],
  ])('reads delay-seconds %j as %i ms', (value, ms) => {
    expect(parseRetryAfter(value, NOW_MS)).toBe(ms)
  })

  it.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['asctime', 'Sun Nov  6 08:49:37 1994'],
    ['asctime with a two-digit day', 'Sun Nov 06 08:49:37 1994'],
    ['IMF-fixdate with surrounding whitespace', '  Sun, 06 Nov 1994 08:49:37 GMT '],
  ])('reads the %s form as the delay until that date', (_form, value) => {
    expect(parseRetryAfter(value, NOW_MS)).toBe(37_000)
  })

  it('answers 0 for a date in the past, in every form', () => {
    const later = EXAMPLE_MS + 3_600_000
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', later)).toBe(0)
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', later)).toBe(0)
    expect(parseRetryAfter('Sun Nov  6 08:49:37 1994', later)).toBe(0)
  })

  it('answers 0 for a date equal to now', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', EXAMPLE_MS)).toBe(0)
  })

  it('keeps the sub-second part of now when turning a date into a delay', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', EXAMPLE_MS - 1_250)).toBe(1_250)
  })

  it('accepts a leap second and 29 February of a leap year', () => {
    expect(parseRetryAfter('Sat, 31 Dec 2016 23:59:60 GMT', Date.UTC(2016, 11, 31, 23, 59, 0))).toBe(60_000)
    expect(parseRetryAfter('Tue, 29 Feb 2000 00:00:10 GMT', Date.UTC(2000, 1, 29))).toBe(10_000)
  })

  it('accepts a day name that does not match the date, which RFC 9110 makes redundant', () => {
    expect(parseRetryAfter('Mon, 06 Nov 1994 08:49:37 GMT', NOW_MS)).toBe(37_000)
  })

  it('places an RFC 850 two-digit year no more than 50 years ahead (RFC 9110 §5.6.7)', () => {
    const now2026 = Date.UTC(2026, 0, 1)
    // 2070 is 44 years ahead: kept in this century.
    expect(parseRetryAfter('Tuesday, 01-Jan-70 00:00:00 GMT', now2026)).toBe(Date.UTC(2070, 0, 1) - now2026)
    // 2080 would be 54 years ahead: it is 1980, in the past.
    expect(parseRetryAfter('Tuesday, 01-Jan-80 00:00:00 GMT', now2026)).toBe(0)
    // Near the end of a century, a small year is the next century's.
    const now2099 = Date.UTC(2099, 0, 1)
    expect(parseRetryAfter('Sunday, 01-Jan-01 00:00:00 GMT', now2099)).toBe(Date.UTC(2101, 0, 1) - now2099)
  })
})

describe('parseRetryAfter: malformed values', () => {
  it.each([
    ['-1'],
    ['+1'],
    ['1.5'],
    ['1.'],
    ['1e3'],
    ['0x10'],
    ['Infinity'],
    ['-Infinity'],
    ['NaN'],
    [''],
    [' '],
    ['\t'],
    ['999999999999999999999999'],
    ['12345678901'],
    ['1 2'],
    ['5s'],
    ['٣'],
    ['１'],
    ['Sun, 32 Nov 1994 08:49:37 GMT'],
    ['Thu, 30 Feb 1995 08:49:37 GMT'],
    ['Tue, 29 Feb 2100 08:49:37 GMT'],
    ['Sun, 06 Nov 1994 24:00:00 GMT'],
    ['Sun, 06 Nov 1994 08:60:00 GMT'],
    ['Sun, 06 Nov 1994 08:49:61 GMT'],
    ['Sun, 6 Nov 1994 08:49:37 GMT'],
    ['Sun, 06 nov 1994 08:49:37 GMT'],
    ['Sun, 06 Nov 1994 08:49:37 UTC'],
    ['Sun, 06 Nov 1994 08:49:37'],
    ['Sun, 06 Nov 94 08:49:37 GMT'],
    ['Sunday, 06 Nov 1994 08:49:37 GMT'],
    ['Sun, 06-Nov-94 08:49:37 GMT'],
    ['Sun Nov 6 08:49:37 1994'],
    ['Sun Feb 30 08:49:37 1994'],
    ['1994-11-06T08:49:37Z'],
    ['Feb 30'],
    ['tomorrow'],
    ['06 Nov 1994 08:49:37 GMT'],
  ])('answers undefined for %j', (value) => {
    expect(parseRetryAfter(value, NOW_MS)).toBeUndefined()
  })

  it('answers undefined for an absent header', () => {
    expect(parseRetryAfter(undefined, NOW_MS)).toBeUndefined()
    expect(parseRetryAfter(null, NOW_MS)).toBeUndefined()
  })

  it('answers undefined for a date when now is not a finite time, but still reads delay-seconds', () => {
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', Number.NaN)).toBeUndefined()
    expect(parseRetryAfter('Sun, 06 Nov 1994 08:49:37 GMT', Number.NEGATIVE_INFINITY)).toBeUndefined()
    expect(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', 1e300)).toBeUndefined()
    expect(parseRetryAfter('3', Number.NaN)).toBe(3_000)
  })

  it('answers undefined, quickly, for a long run of inner whitespace', () => {
    expect(parseRetryAfter(`1${' '.repeat(200_000)}x`, NOW_MS)).toBeUndefined()
  })
})

describe('parseRetryAfter: properties', () => {
  const nowArb = fc.oneof(
    fc.integer({ min: 0, max: 4_102_444_800_000 }),
    fc.double(),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  )

  it('never throws and never answers NaN or a negative number, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), nowArb, (value, nowMs) => {
        const ms = parseRetryAfter(value, nowMs)
        return ms === undefined || (Number.isFinite(ms) && ms >= 0)
      }),
      { numRuns: 2_000 },
    )
  })

  it('reads every non-negative integer of up to 10 digits as that many seconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999 }), (seconds) => {
        return parseRetryAfter(String(seconds), 0) === seconds * 1000
      }),
    )
  })

  it('reads every IMF-fixdate as the exact delay to that date', () => {
    const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
    const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
    const pad = (n: number, width = 2): string => String(n).padStart(width, '0')
    fc.assert(
      fc.property(
        fc.date({ min: new Date(Date.UTC(1000, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (date, beforeMs) => {
          const at = Math.floor(date.getTime() / 1000) * 1000
          const d = new Date(at)
          const text = `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCFullYear(), 4)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT`
          return parseRetryAfter(text, at - beforeMs) === beforeMs
        },
      ),
    )
  })
})
