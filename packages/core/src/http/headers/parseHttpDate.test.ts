import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { requestClassifiers } from '../requestClassifiers.ts'
import { parseHttpDate } from './parseHttpDate.ts'

const MS_PER_YEAR_APPROX = 365.25 * 86_400_000

describe('parseHttpDate: the three forms of RFC 9110 §5.6.7', () => {
  const at = Date.UTC(1994, 10, 6, 8, 49, 37)
  it.each([
    ['IMF-fixdate', 'Sun, 06 Nov 1994 08:49:37 GMT'],
    ['RFC 850', 'Sunday, 06-Nov-94 08:49:37 GMT'],
    ['asctime, one-digit day', 'Sun Nov  6 08:49:37 1994'],
    ['asctime, two-digit day', 'Sun Nov 06 08:49:37 1994'],
  ])('reads the %s form', (_form, value) => {
    expect(parseHttpDate(value, at)).toBe(at)
  })

  it.each([
    ['Jan', 0],
    ['Feb', 1],
    ['Mar', 2],
    ['Apr', 3],
    ['May', 4],
    ['Jun', 5],
    ['Jul', 6],
    ['Aug', 7],
    ['Sep', 8],
    ['Oct', 9],
    ['Nov', 10],
    ['Dec', 11],
  ])('reads the month %s', (name, month) => {
    expect(parseHttpDate(`Mon, 15 ${name} 2001 23:59:58 GMT`, 0)).toBe(Date.UTC(2001, month, 15, 23, 59, 58))
  })

  it.each([
    ['30 days in April', 'Sun, 31 Apr 1994 00:00:00 GMT'],
    ['30 days in June', 'Sun, 31 Jun 1994 00:00:00 GMT'],
    ['30 days in September', 'Sun, 31 Sep 1994 00:00:00 GMT'],
    ['30 days in November', 'Sun, 31 Nov 1994 00:00:00 GMT'],
    ['28 days in February 1900', 'Sun, 29 Feb 1900 00:00:00 GMT'],
    ['28 days in February 2023', 'Sun, 29 Feb 2023 00:00:00 GMT'],
    ['no day 0', 'Sun, 00 Jan 1994 00:00:00 GMT'],
    ['no hour 24', 'Sun, 01 Jan 1994 24:00:00 GMT'],
  ])('rejects an impossible date: %s', (_why, value) => {
    expect(parseHttpDate(value, 0)).toBeUndefined()
  })

  it.each([
    ['31 days in January', 'Sun, 31 Jan 1994 00:00:00 GMT', Date.UTC(1994, 0, 31)],
    ['31 days in December', 'Sun, 31 Dec 1994 23:59:59 GMT', Date.UTC(1994, 11, 31, 23, 59, 59)],
    ['29 days in February 2000', 'Sun, 29 Feb 2000 00:00:00 GMT', Date.UTC(2000, 1, 29)],
    ['29 days in February 2024', 'Sun, 29 Feb 2024 00:00:00 GMT', Date.UTC(2024, 1, 29)],
    ['the last minute of a day', 'Sun, 01 Jan 1994 23:59:00 GMT', Date.UTC(1994, 0, 1, 23, 59)],
    ['a year of the first century', 'Sun, 01 Mar 0001 00:00:00 GMT', new Date(0).setUTCFullYear(1, 2, 1)],
  ])('accepts a real date: %s', (_why, value, ms) => {
    expect(parseHttpDate(value, 0)).toBe(ms)
  })
})

// RFC 9110 §5.6.7: "Recipients of a timestamp value in rfc850-date format, which uses a two-digit
// year, MUST interpret a timestamp that appears to be more than 50 years in the future as
// representing the most recent year in the past that had the same last two digits."
describe('parseHttpDate: RFC 850 two-digit years (issue 14, defect 8)', () => {
  it('reads 31-Dec-76 on 2026-01-01 as 1976, not 2076: that instant is over 50 years ahead', () => {
    const now = Date.UTC(2026, 0, 1)
    expect(parseHttpDate('Friday, 31-Dec-76 23:59:59 GMT', now)).toBe(Date.UTC(1976, 11, 31, 23, 59, 59))
  })

  it('compares instants, not years: exactly 50 years ahead stays ahead, one second more goes back', () => {
    const date = 'Thursday, 31-Dec-76 23:59:59 GMT'
    const in2076 = Date.UTC(2076, 11, 31, 23, 59, 59)
    expect(parseHttpDate(date, Date.UTC(2026, 11, 31, 23, 59, 59))).toBe(in2076)
    expect(parseHttpDate(date, Date.UTC(2026, 11, 31, 23, 59, 58))).toBe(Date.UTC(1976, 11, 31, 23, 59, 59))
    // Early in the year the same date is already too far: the year alone would say 2076.
    expect(parseHttpDate(date, Date.UTC(2026, 5, 1))).toBe(Date.UTC(1976, 11, 31, 23, 59, 59))
  })

  it('keeps a date in the current century when it is up to 50 years ahead', () => {
    const now = Date.UTC(2026, 0, 1)
    expect(parseHttpDate('Tuesday, 01-Jan-70 00:00:00 GMT', now)).toBe(Date.UTC(2070, 0, 1))
    expect(parseHttpDate('Thursday, 01-Jan-26 00:00:00 GMT', now)).toBe(now)
    expect(parseHttpDate('Thursday, 01-Jan-76 00:00:00 GMT', now)).toBe(Date.UTC(2076, 0, 1))
  })

  it('reads a two-digit year just past in the current century', () => {
    const now = Date.UTC(2026, 6, 1)
    expect(parseHttpDate('Wednesday, 01-Jan-25 00:00:00 GMT', now)).toBe(Date.UTC(2025, 0, 1))
    expect(parseHttpDate('Saturday, 01-Jan-00 00:00:00 GMT', now)).toBe(Date.UTC(2000, 0, 1))
  })

  it('moves a small year to the next century near the end of one', () => {
    const now = Date.UTC(2099, 0, 1)
    expect(parseHttpDate('Sunday, 01-Jan-01 00:00:00 GMT', now)).toBe(Date.UTC(2101, 0, 1))
    // 2049-01-01 is exactly 50 years ahead of 2099-01-01 seen from 1999-01-01: still this side.
    expect(parseHttpDate('Friday, 01-Jan-49 00:00:00 GMT', Date.UTC(1999, 0, 1))).toBe(Date.UTC(2049, 0, 1))
    expect(parseHttpDate('Friday, 01-Jan-49 00:00:01 GMT', Date.UTC(1999, 0, 1))).toBe(Date.UTC(1949, 0, 1, 0, 0, 1))
  })

  it('checks 29 February against the century it lands in', () => {
    // 00 seen from 2030 is 2000, a leap year; seen from 2130 it is 2100, which is not.
    expect(parseHttpDate('Tuesday, 29-Feb-00 12:00:00 GMT', Date.UTC(2030, 0, 1))).toBe(Date.UTC(2000, 1, 29, 12))
    expect(parseHttpDate('Tuesday, 29-Feb-00 12:00:00 GMT', Date.UTC(2130, 0, 1))).toBeUndefined()
  })

  it('answers undefined when now is not a time', () => {
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', Number.NaN)).toBeUndefined()
    expect(parseHttpDate('Sunday, 06-Nov-94 08:49:37 GMT', 1e300)).toBeUndefined()
  })

  it('places every RFC 850 date within 50 years of now, on either side', () => {
    const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
    const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
    const pad = (n: number): string => String(n).padStart(2, '0')
    const range = { min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2200, 0, 1)), noInvalidDate: true }
    fc.assert(
      fc.property(fc.date(range), fc.date(range), (date, now) => {
        const d = new Date(Math.floor(date.getTime() / 1000) * 1000)
        const text = `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())}-${MONTHS[d.getUTCMonth()]}-${pad(d.getUTCFullYear() % 100)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} GMT`
        const ms = parseHttpDate(text, now.getTime())
        if (ms === undefined) return d.getUTCMonth() === 1 && d.getUTCDate() === 29
        const ahead = ms - now.getTime()
        const read = new Date(ms)
        return (
          ahead > -50 * MS_PER_YEAR_APPROX - 2 * 86_400_000 &&
          ahead <= 50 * MS_PER_YEAR_APPROX + 2 * 86_400_000 &&
          read.getUTCFullYear() % 100 === d.getUTCFullYear() % 100 &&
          read.getUTCHours() * 3600 + read.getUTCMinutes() * 60 + read.getUTCSeconds() ===
            d.getUTCHours() * 3600 + d.getUTCMinutes() * 60 + d.getUTCSeconds() &&
          read.getUTCMonth() === d.getUTCMonth() &&
          read.getUTCDate() === d.getUTCDate()
        )
      }),
      { numRuns: 2_000 },
    )
  })
})

describe('requestClassifiers: Retry-After dates read against the injected wall clock', () => {
  it('reads an RFC 850 Retry-After near a year boundary through the `now` option', () => {
    const { resultClassifier } = requestClassifiers(
      { method: 'GET', bodyReplayable: true },
      { now: () => Date.UTC(2026, 0, 1) },
    )
    const response = { status: 503, headers: { 'retry-after': 'Friday, 31-Dec-76 23:59:59 GMT' } }
    // Seen from 2026-01-01 the date is in 1976 (2076 would be over 50 years ahead): no wait.
    expect(resultClassifier(response)).toMatchObject({ retryAfterMs: 0 })
    const soon = requestClassifiers(
      { method: 'GET', bodyReplayable: true },
      { now: () => Date.UTC(2025, 11, 31, 23, 59, 49) },
    ).resultClassifier({ status: 503, headers: { 'retry-after': 'Wednesday, 31-Dec-25 23:59:59 GMT' } })
    expect(soon).toMatchObject({ retryAfterMs: 10_000 })
  })
})
