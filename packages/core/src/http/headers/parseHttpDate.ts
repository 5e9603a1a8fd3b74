const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const

const MONTH = MONTHS.join('|')
const DAY_NAME = 'Mon|Tue|Wed|Thu|Fri|Sat|Sun'
const DAY_NAME_LONG = 'Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday'
const TIME = '(\\d{2}):(\\d{2}):(\\d{2})'

// RFC 9110 §5.6.7, the three forms, matched whole and case-sensitively as the grammar says.
const IMF_FIXDATE = new RegExp(`^(?:${DAY_NAME}), (\\d{2}) (${MONTH}) (\\d{4}) ${TIME} GMT$`)
const RFC850_DATE = new RegExp(`^(?:${DAY_NAME_LONG}), (\\d{2})-(${MONTH})-(\\d{2}) ${TIME} GMT$`)
const ASCTIME_DATE = new RegExp(`^(?:${DAY_NAME}) (${MONTH}) (\\d{2}| \\d) ${TIME} (\\d{4})$`)

const MS_PER_DAY = 86_400_000

/**
 * Parses an HTTP-date (RFC 9110 §5.6.7) into epoch milliseconds: IMF-fixdate
 * (`Sun, 06 Nov 1994 08:49:37 GMT`), the obsolete RFC 850 form (`Sunday, 06-Nov-94 08:49:37 GMT`)
 * and asctime (`Sun Nov  6 08:49:37 1994`). Strict: the whole string must match one form and
 * name a real calendar date (`Sun, 32 Nov 1994 …` and `30 Feb` are rejected), unlike
 * `Date.parse`, which accepts almost anything. The day name is checked for form but not
 * against the date, since RFC 9110 makes it redundant. A leap second (`:60`) is accepted.
 *
 * @param value the date, without surrounding whitespace
 * @param nowMs wall-clock epoch ms, used only to place an RFC 850 two-digit year: the year with
 *   those digits that puts the instant no more than 50 years after `nowMs` and less than 50 years
 *   before it (RFC 9110 §5.6.7); pass the injected wall clock's time where there is one
 * @returns epoch milliseconds, or `undefined` when `value` is not an HTTP-date
 */
export function parseHttpDate(value: string, nowMs: number): number | undefined {
  let match = IMF_FIXDATE.exec(value)
  if (match !== null) return toEpochMs(match[3], match[2], match[1], match[4], match[5], match[6])
  match = ASCTIME_DATE.exec(value)
  if (match !== null) return toEpochMs(match[6], match[1], match[2], match[3], match[4], match[5])
  match = RFC850_DATE.exec(value)
  if (match === null) return undefined
  const year = twoDigitYear(match, nowMs)
  return year === undefined ? undefined : toEpochMs(String(year), match[2], match[1], match[4], match[5], match[6])
}

/**
 * RFC 9110 §5.6.7: a two-digit year that "appears to be more than 50 years in the future" is the
 * most recent past year with those digits. Instants are compared, not years: on 2026-01-01,
 * `31-Dec-76 23:59:59` would be 2076-12-31, more than 50 years ahead, so it is 1976. A year in
 * the current century that lies 50 years or more in the past moves to the next one (`01` read
 * in 2099 is 2101), so the answer is always within 50 years of now.
 */
function twoDigitYear(match: RegExpExecArray, nowMs: number): number | undefined {
  const now = new Date(nowMs)
  const nowYear = now.getUTCFullYear()
  if (Number.isNaN(nowYear)) return undefined
  // now + 50 years, on the calendar (a 29 February rolls over to 1 March, as Date does).
  const latestMs = now.setUTCFullYear(nowYear + 50)
  const month = MONTHS.indexOf(match[2] as (typeof MONTHS)[number]) + 1
  const timeMs = ((Number(match[4]) * 60 + Number(match[5])) * 60 + Number(match[6])) * 1000
  const instantIn = (year: number): number => daysFromCivil(year, month, Number(match[1])) * MS_PER_DAY + timeMs
  let year = nowYear - (nowYear % 100) + Number(match[3])
  if (instantIn(year) > latestMs) year -= 100
  else if (instantIn(year + 100) <= latestMs) year += 100
  return year
}

function toEpochMs(
  yearText: string | undefined,
  monthName: string | undefined,
  dayText: string | undefined,
  hourText: string | undefined,
  minuteText: string | undefined,
  secondText: string | undefined,
): number | undefined {
  const year = Number(yearText)
  const month = MONTHS.indexOf(monthName as (typeof MONTHS)[number]) + 1
  const day = Number(dayText)
  const hour = Number(hourText)
  const minute = Number(minuteText)
  const second = Number(secondText)
  // The month is always found: the patterns only match the twelve names.
  if (day < 1 || day > daysInMonth(year, month)) return undefined
  if (hour > 23 || minute > 59 || second > 60) return undefined
  return daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm); done by
// hand because Date.UTC maps years 0–99 to 1900–1999.
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yearOfEra = y - era * 400
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}
