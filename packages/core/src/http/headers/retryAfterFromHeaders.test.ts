import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { HeadersLike } from './getHeader.ts'
import { retryAfterFromHeaders } from './retryAfterFromHeaders.ts'

const NOW_MS = Date.UTC(2026, 0, 1, 12, 0, 0)
const NOW_S = NOW_MS / 1000

describe('retryAfterFromHeaders: Retry-After', () => {
  it.each([
    ['delay-seconds', '120', 120_000],
    ['zero', '0', 0],
    ['an IMF-fixdate', 'Thu, 01 Jan 2026 12:00:30 GMT', 30_000],
    ['an RFC 850 date', 'Thursday, 01-Jan-26 12:00:30 GMT', 30_000],
    ['an asctime date', 'Thu Jan  1 12:00:30 2026', 30_000],
    ['a past date', 'Sun, 06 Nov 1994 08:49:37 GMT', 0],
  ])('reads %s', (_form, value, ms) => {
    expect(retryAfterFromHeaders(new Headers({ 'Retry-After': value }), NOW_MS)).toBe(ms)
  })

  it('takes precedence over the RateLimit fields', () => {
    const headers = {
      'retry-after': '5',
      ratelimit: '"default";r=0;t=30',
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': '60',
    }
    expect(retryAfterFromHeaders(headers, NOW_MS)).toBe(5_000)
  })

  it('is ignored when malformed, and the RateLimit fields are read instead', () => {
    expect(retryAfterFromHeaders({ 'retry-after': '1.5', ratelimit: '"default";r=0;t=30' }, NOW_MS)).toBe(30_000)
  })

  it('answers undefined when no header asks for a delay', () => {
    expect(retryAfterFromHeaders(new Headers(), NOW_MS)).toBeUndefined()
    expect(retryAfterFromHeaders({ 'content-type': 'text/plain' }, NOW_MS)).toBeUndefined()
    expect(retryAfterFromHeaders(undefined, NOW_MS)).toBeUndefined()
  })
})

describe('retryAfterFromHeaders: IETF RateLimit fields draft', () => {
  it.each([
    ['one exhausted policy', '"default";r=0;t=30', 30_000],
    ['a token policy name', 'default;r=0;t=30', 30_000],
    ['spaces after semicolons', '"100-in-1min"; r=0; t=48', 48_000],
    [
      'the longest reset among exhausted policies',
      '"minute";r=0;t=30, "hour";r=0;t=1800, "day";r=7;t=80000',
      1_800_000,
    ],
    ['an exhausted policy among live ones', '"minute";r=3;t=30, "hour";r=0;t=600', 600_000],
    ['a reset of zero', '"default";r=0;t=0', 0],
    ['draft-07 dictionary form', 'limit=100, remaining=0, reset=30', 30_000],
  ])('reads %s', (_case, value, ms) => {
    expect(retryAfterFromHeaders({ RateLimit: value }, NOW_MS)).toBe(ms)
  })

  it.each([
    ['quota remaining', '"default";r=1;t=30'],
    ['draft-07 quota remaining', 'limit=100, remaining=5, reset=30'],
    ['no r parameter', '"default";t=30'],
    ['no t parameter', '"default";r=0'],
    ['a decimal t', '"default";r=0;t=1.5'],
    ['a negative t', '"default";r=0;t=-30'],
    ['a string t', '"default";r=0;t="30"'],
    ['a boolean r', '"default";r;t=30'],
    ['not a structured field', 'r=0 t=30 please'],
    ['a trailing comma', '"default";r=0;t=30,'],
    ['an inner list', '("default");r=0;t=30'],
    ['an integer item', '100;r=0;t=30'],
  ])('asks for no delay with %s', (_case, value) => {
    expect(retryAfterFromHeaders({ ratelimit: value }, NOW_MS)).toBeUndefined()
  })

  it('takes the longest reset whatever the order of the exhausted policies', () => {
    expect(retryAfterFromHeaders({ ratelimit: '"hour";r=0;t=1800, "minute";r=0;t=30' }, NOW_MS)).toBe(1_800_000)
    expect(retryAfterFromHeaders({ ratelimit: '"a";r=0;t=5, "b";r=0;t=50, "c";r=0;t=20' }, NOW_MS)).toBe(50_000)
  })

  it('asks for no delay from a draft-07 dictionary with nothing remaining but no reset', () => {
    expect(retryAfterFromHeaders({ ratelimit: 'limit=100, remaining=0' }, NOW_MS)).toBeUndefined()
    expect(retryAfterFromHeaders({ ratelimit: 'limit=100, remaining=0, reset=-1' }, NOW_MS)).toBeUndefined()
  })

  it('skips a malformed item but reads the others', () => {
    expect(retryAfterFromHeaders({ ratelimit: '"a";r=0;t=x1, "b";r=0;t=20' }, NOW_MS)).toBe(20_000)
  })

  it('counts only the policies RateLimit-Policy names, when it names any', () => {
    const headers = {
      'RateLimit-Policy': '"minute";q=100;w=60',
      RateLimit: '"minute";r=0;t=30, "rogue";r=0;t=9999',
    }
    expect(retryAfterFromHeaders(headers, NOW_MS)).toBe(30_000)
    expect(retryAfterFromHeaders({ ...headers, RateLimit: '"rogue";r=0;t=9999' }, NOW_MS)).toBeUndefined()
  })

  it('narrows to the named policies when RateLimit-Policy also holds an inner list', () => {
    const headers = {
      'ratelimit-policy': '("a" "b"), "minute";q=100;w=60',
      ratelimit: '"minute";r=0;t=30, "x";r=0;t=99',
    }
    expect(retryAfterFromHeaders(headers, NOW_MS)).toBe(30_000)
  })

  it('ignores a RateLimit-Policy that is malformed or names no policy', () => {
    expect(retryAfterFromHeaders({ 'ratelimit-policy': '"minute";q=', ratelimit: '"x";r=0;t=30' }, NOW_MS)).toBe(30_000)
    expect(retryAfterFromHeaders({ 'ratelimit-policy': '100;w=60', ratelimit: '"x";r=0;t=30' }, NOW_MS)).toBe(30_000)
  })

  it('reads RateLimit split over several field lines', () => {
    const raw = ['RateLimit', '"minute";r=0;t=30', 'ratelimit', '"hour";r=0;t=90']
    expect(retryAfterFromHeaders(raw, NOW_MS)).toBe(90_000)
  })
})

describe('retryAfterFromHeaders: RateLimit fields with any RFC 9651 value (issue 14, defect 9)', () => {
  it.each([
    ["a partition key byte sequence (the draft's pk)", '"default";r=0;t=30;pk=:dXNlcjE=:'],
    ['a vendor date parameter', '"default";r=0;t=30;x-reset-at=@1767225630'],
    ['a vendor display-string parameter', '"default";r=0;t=30;x-note=%"quota d%c3%a9pass%c3%a9"'],
    ['a date member beside the policy', '"default";r=0;t=30, @1767225630'],
    ['a display-string member beside the policy', '%"Minute", "default";r=0;t=30'],
    ['an inner list beside the policy', '("a" "b");x=1, "default";r=0;t=30'],
  ])('reads an exhausted quota next to %s', (_case, value) => {
    expect(retryAfterFromHeaders({ ratelimit: value }, NOW_MS)).toBe(30_000)
  })

  it('reads the draft-07 dictionary form with a vendor date or display string', () => {
    const headers = { ratelimit: 'limit=100, remaining=0, reset=30, x-reset-at=@1767225630;note=%"x"' }
    expect(retryAfterFromHeaders(headers, NOW_MS)).toBe(30_000)
  })

  it('still narrows to the policies RateLimit-Policy names when that field carries RFC 9651 values', () => {
    const headers = {
      'ratelimit-policy': '"minute";q=100;w=60;x-name=%"Minute";x-since=@1767225600',
      ratelimit: '"minute";r=0;t=30, "rogue";r=0;t=9999',
    }
    expect(retryAfterFromHeaders(headers, NOW_MS)).toBe(30_000)
  })

  it.each([
    ['an "=" inside a byte sequence', '"default";r=0;t=30;pk=:dXN=lcjE=:'],
    ['upper-case escapes in a display string', '"default";r=0;t=30;x=%"%C3%A9"'],
    ['a decimal date', '"default";r=0;t=30;x=@1.5'],
  ])('ignores the whole field, as RFC 9651 §4.2 says, with %s', (_case, value) => {
    expect(retryAfterFromHeaders({ ratelimit: value }, NOW_MS)).toBeUndefined()
  })

  it('does not take a date or a decimal for the remaining count or the reset', () => {
    expect(retryAfterFromHeaders({ ratelimit: '"default";r=@0;t=30' }, NOW_MS)).toBeUndefined()
    expect(retryAfterFromHeaders({ ratelimit: '"default";r=0;t=@1767225630' }, NOW_MS)).toBeUndefined()
    expect(retryAfterFromHeaders({ ratelimit: 'remaining=0.0, reset=30' }, NOW_MS)).toBeUndefined()
  })
})

describe("retryAfterFromHeaders: on a 429, a reset time is the server's delay (issue 14, defect 10)", () => {
  it.each([
    ['a lone RateLimit-Reset', { 'RateLimit-Reset': '30' }, 30_000],
    ['a lone RateLimit-Reset in epoch seconds', { 'ratelimit-reset': String(NOW_S + 7) }, 7_000],
    ['a lone X-RateLimit-Reset', { 'X-RateLimit-Reset': '12' }, 12_000],
    [
      'a RateLimit-Reset with a malformed remaining count',
      { 'ratelimit-remaining': 'n/a', 'ratelimit-reset': '4' },
      4_000,
    ],
    [
      'a RateLimit-Reset with a remaining count followed by junk',
      { 'ratelimit-remaining': '1x', 'ratelimit-reset': '4' },
      4_000,
    ],
    [
      'a RateLimit-Reset with a 16-digit remaining count',
      { 'ratelimit-remaining': '1000000000000000', 'ratelimit-reset': '4' },
      4_000,
    ],
    ['a RateLimit item with t and no r', { RateLimit: '"default";t=30' }, 30_000],
    ['the longest of several items without r', { RateLimit: '"a";t=30, "b";t=90, "c";r=5;t=900' }, 90_000],
    ["the draft-07 dictionary's reset with no remaining", { RateLimit: 'limit=100, reset=30' }, 30_000],
  ])('reads %s', (_case, headers, ms) => {
    expect(retryAfterFromHeaders(headers, NOW_MS, 429)).toBe(ms)
  })

  it.each([
    ['RateLimit-Reset with quota remaining', { 'ratelimit-remaining': '3', 'ratelimit-reset': '30' }],
    ['X-RateLimit-Reset with quota remaining', { 'x-ratelimit-remaining': '1', 'x-ratelimit-reset': '30' }],
    ['a RateLimit item with quota remaining', { ratelimit: '"default";r=2;t=30' }],
    ['the draft-07 dictionary with quota remaining', { ratelimit: 'limit=100, remaining=9, reset=30' }],
    ['a malformed reset', { 'ratelimit-reset': 'soon' }],
    ['a remaining count of several digits', { 'ratelimit-remaining': '12', 'ratelimit-reset': '30' }],
    ['a 15-digit remaining count', { 'ratelimit-remaining': '100000000000000', 'ratelimit-reset': '30' }],
  ])('asks for no delay with %s', (_case, headers) => {
    expect(retryAfterFromHeaders(headers, NOW_MS, 429)).toBeUndefined()
  })

  it('reads a lone reset only on a 429: any other status, or none, asks for no delay', () => {
    for (const headers of [{ 'ratelimit-reset': '30' }, { 'x-ratelimit-reset': '30' }, { ratelimit: '"d";t=30' }]) {
      expect(retryAfterFromHeaders(headers, NOW_MS)).toBeUndefined()
      expect(retryAfterFromHeaders(headers, NOW_MS, 503)).toBeUndefined()
      expect(retryAfterFromHeaders(headers, NOW_MS, 200)).toBeUndefined()
    }
  })

  it('still prefers Retry-After, then RateLimit, then RateLimit-Reset, then X-RateLimit-Reset', () => {
    const all = { 'retry-after': '1', ratelimit: '"d";t=2', 'ratelimit-reset': '3', 'x-ratelimit-reset': '4' }
    expect(retryAfterFromHeaders(all, NOW_MS, 429)).toBe(1_000)
    const { 'retry-after': _a, ...noRetryAfter } = all
    expect(retryAfterFromHeaders(noRetryAfter, NOW_MS, 429)).toBe(2_000)
    const { ratelimit: _b, ...legacyOnly } = noRetryAfter
    expect(retryAfterFromHeaders(legacyOnly, NOW_MS, 429)).toBe(3_000)
    const { 'ratelimit-reset': _c, ...vendorOnly } = legacyOnly
    expect(retryAfterFromHeaders(vendorOnly, NOW_MS, 429)).toBe(4_000)
  })
})

describe('retryAfterFromHeaders: legacy RateLimit-* and X-RateLimit-* fields', () => {
  it.each([
    ['RateLimit-Reset delta-seconds', { 'RateLimit-Remaining': '0', 'RateLimit-Reset': '45' }, 45_000],
    ['X-RateLimit-Reset delta-seconds', { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '12' }, 12_000],
    [
      'X-RateLimit-Reset epoch seconds',
      { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(NOW_S + 90) },
      90_000,
    ],
    ['fractional epoch seconds', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': `${NOW_S + 1}.250` }, 1_250],
    ['a past epoch time', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW_S - 90) }, 0],
    ['RateLimit-Reset epoch seconds', { 'ratelimit-remaining': '0', 'ratelimit-reset': String(NOW_S + 5) }, 5_000],
    ['padded values', { 'x-ratelimit-remaining': ' 0 ', 'x-ratelimit-reset': ' 7 ' }, 7_000],
    [
      'the RateLimit-* pair before the X-RateLimit-* pair',
      { 'ratelimit-remaining': '0', 'ratelimit-reset': '3', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '9' },
      3_000,
    ],
  ])('reads %s', (_case, headers, ms) => {
    expect(retryAfterFromHeaders(headers, NOW_MS)).toBe(ms)
  })

  it.each([
    ['quota remaining', { 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': '30' }],
    ['no remaining header', { 'x-ratelimit-reset': '30' }],
    ['no reset header', { 'x-ratelimit-remaining': '0' }],
    ['a negative reset', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '-30' }],
    ['a garbage reset', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': 'soon' }],
    ['an exponent reset', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1e3' }],
    ['a garbage remaining', { 'x-ratelimit-remaining': 'none', 'x-ratelimit-reset': '30' }],
    ['a negative remaining', { 'x-ratelimit-remaining': '-0', 'x-ratelimit-reset': '30' }],
  ])('asks for no delay with %s', (_case, headers) => {
    expect(retryAfterFromHeaders(headers, NOW_MS)).toBeUndefined()
  })

  it('reads a reset of exactly 10^9 as delta-seconds, and one above it as epoch seconds', () => {
    const at = (reset: string) =>
      retryAfterFromHeaders({ 'ratelimit-remaining': '0', 'ratelimit-reset': reset }, NOW_MS)
    expect(at('1000000000')).toBe(1_000_000_000_000)
    expect(at('1000000001')).toBe(0)
  })

  it('rounds a fractional delay up to the next millisecond', () => {
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': `${NOW_S}.0004` }
    expect(retryAfterFromHeaders(headers, NOW_MS)).toBe(1)
  })

  it('falls through to legacy fields when RateLimit shows quota left', () => {
    const headers = { ratelimit: '"default";r=3;t=30', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '8' }
    expect(retryAfterFromHeaders(headers, NOW_MS)).toBe(8_000)
  })

  it('answers undefined for an epoch reset when now is not a finite time', () => {
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW_S + 90) }
    expect(retryAfterFromHeaders(headers, Number.NaN)).toBeUndefined()
  })
})

describe('retryAfterFromHeaders: properties', () => {
  const names = fc.constantFrom(
    'retry-after',
    'Retry-After',
    'ratelimit',
    'RateLimit',
    'ratelimit-policy',
    'ratelimit-remaining',
    'ratelimit-reset',
    'x-ratelimit-remaining',
    'X-RateLimit-Reset',
  )
  const values = fc.oneof(
    fc.string(),
    fc.constantFrom('0', '-1', '1.5', '1e3', 'Infinity', 'NaN', '"a";r=0;t=30', '999999999999999999999999'),
    fc.integer().map(String),
    fc.double().map(String),
  )
  const record = fc.dictionary(names, fc.oneof(values, fc.array(values), fc.integer(), fc.constant(null)))
  const hostile = fc.constantFrom<unknown>(
    {
      get(): never {
        throw new Error('boom')
      },
    },
    new Proxy(
      {},
      {
        ownKeys(): never {
          throw new Error('boom')
        },
      },
    ),
    Object.defineProperty({}, 'retry-after', {
      enumerable: true,
      get(): never {
        throw new Error('boom')
      },
    }),
  )
  const headersArb = fc.oneof(
    record,
    record.map(
      (r) =>
        new Headers(Object.entries(r).flatMap(([k, v]) => (typeof v === 'string' ? [[k, v] as [string, string]] : []))),
    ),
    fc.array(fc.oneof(names, values)),
    hostile,
    fc.anything(),
  )
  const nowArb = fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.double())

  it('never throws and never answers NaN or a negative number, whatever the headers', () => {
    fc.assert(
      fc.property(headersArb, nowArb, (headers, nowMs) => {
        const ms = retryAfterFromHeaders(headers as HeadersLike, nowMs)
        return ms === undefined || (Number.isFinite(ms) && ms >= 0)
      }),
      { numRuns: 2_000 },
    )
  })
})
