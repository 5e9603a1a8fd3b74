import { describe, expect, it } from 'vitest'
import { continuationRequestHeaders } from './continuationRequestHeaders.ts'

const RANGE = Object.freeze({ range: 'bytes=400-', 'if-match': '"v1"', 'if-range': '"v1"' })
const CALLERS_CONDITIONALS = [
  ['Range', 'bytes=0-99'],
  ['If-None-Match', '"stale"'],
  ['if-modified-since', 'Tue, 15 Nov 1994 08:12:31 GMT'],
  ['IF-UNMODIFIED-SINCE', 'Tue, 15 Nov 1994 08:12:31 GMT'],
  ['If-Match', '"v0"'],
  ['if-range', '"v0"'],
  ['If-Range', '"v0"'],
] as const
const EXPECTED = { 'X-Token': 'abc', accept: ['a/b', 'c/d'], ...RANGE }

describe('continuationRequestHeaders', () => {
  it.each([
    [
      'a plain object (axios, undici)',
      Object.fromEntries([['X-Token', 'abc'], ['accept', ['a/b', 'c/d']], ...CALLERS_CONDITIONALS]),
    ],
    ['a Map', new Map<string, unknown>([['X-Token', 'abc'], ['accept', ['a/b', 'c/d']], ...CALLERS_CONDITIONALS])],
    ['a list of pairs', [['X-Token', 'abc'], ['accept', ['a/b', 'c/d']], ...CALLERS_CONDITIONALS]],
    ['a flat list (undici)', ['X-Token', 'abc', 'accept', ['a/b', 'c/d'], ...CALLERS_CONDITIONALS.flat()]],
  ])("keeps the caller's headers but its Range and conditionals, from %s", (_shape, given) => {
    expect(continuationRequestHeaders(given, RANGE)).toEqual(EXPECTED)
  })

  it('reads a Headers object (fetch), whose names are lower case', () => {
    const given = new Headers({ 'X-Token': 'abc', Range: 'bytes=0-', 'If-None-Match': '"x"' })
    expect(continuationRequestHeaders(given, RANGE)).toEqual({ 'x-token': 'abc', ...RANGE })
  })

  it('keeps values as given (false suppresses an axios default), drops undefined values and non-string names', () => {
    expect(continuationRequestHeaders({ 'User-Agent': false, n: 3, gone: undefined }, RANGE)).toStrictEqual({
      'User-Agent': false,
      n: 3,
      ...RANGE,
    })
    expect(continuationRequestHeaders([[1, 'x'], 'not a pair', ['ok', 'y']], RANGE)).toEqual({ ok: 'y', ...RANGE })
    expect(continuationRequestHeaders([Buffer.from('a'), 'b', 'c', 'd'], RANGE)).toEqual({ c: 'd', ...RANGE })
    // An iterable's entries count only as [name, value] pairs: not a string, whose characters index like one.
    expect(continuationRequestHeaders(new Set<unknown>(['ab', null, ['ok', 'y']]), RANGE)).toEqual({
      ok: 'y',
      ...RANGE,
    })
  })

  it('gives only the continuation headers for no headers or anything that is not headers', () => {
    for (const given of [undefined, null, 'range: bytes=0-', 42, [], {}]) {
      expect(continuationRequestHeaders(given, RANGE)).toEqual({ ...RANGE })
    }
  })

  it('treats a header named __proto__ as a header, never as a prototype', () => {
    const given = JSON.parse('{"__proto__": {"polluted": true}, "x": "1"}') as unknown
    const headers = continuationRequestHeaders(given, RANGE)
    expect(Object.getPrototypeOf(headers)).toBe(Object.prototype)
    expect(Object.hasOwn(headers, '__proto__')).toBe(true)
    expect((headers as { polluted?: unknown }).polluted).toBeUndefined()
  })
})
