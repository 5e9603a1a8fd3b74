import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { getHeader, type HeadersLike } from './getHeader.ts'

/** An axios-style headers object: a case-insensitive `get`, values stored as given. */
class FakeAxiosHeaders {
  readonly #values = new Map<string, unknown>()
  constructor(init: Record<string, unknown>) {
    for (const [k, v] of Object.entries(init)) this.#values.set(k.toLowerCase(), v)
  }
  get(name: string, _parser?: true): unknown {
    return this.#values.get(name.toLowerCase())
  }
}

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0))

describe('getHeader', () => {
  it('reads a WHATWG Headers whatever the case asked', () => {
    const headers = new Headers({ 'Retry-After': '5' })
    expect(getHeader(headers, 'retry-after')).toBe('5')
    expect(getHeader(headers, 'RETRY-AFTER')).toBe('5')
    expect(getHeader(headers, 'ratelimit')).toBeUndefined()
  })

  it('reads anything with get(name), as axios headers', () => {
    const headers = new FakeAxiosHeaders({ 'Retry-After': '7', 'X-Many': ['a', 'b'], 'X-Num': 3 })
    expect(getHeader(headers, 'Retry-After')).toBe('7')
    expect(getHeader(headers, 'x-many')).toBe('a, b')
    expect(getHeader(headers, 'x-num')).toBe('3')
    expect(getHeader(headers, 'x-missing')).toBeUndefined()
  })

  it('reads a plain record with keys in any case, joining arrays and case variants', () => {
    const headers = { 'RateLimit-Reset': '30', 'set-cookie': ['a=1', 'b=2'], 'content-length': 12, 'x-null': null }
    expect(getHeader(headers, 'ratelimit-reset')).toBe('30')
    expect(getHeader(headers, 'Set-Cookie')).toBe('a=1, b=2')
    expect(getHeader(headers, 'content-length')).toBe('12')
    expect(getHeader(headers, 'x-null')).toBeUndefined()
    expect(getHeader({ 'X-A': '1', 'x-a': '2' }, 'x-a')).toBe('1, 2')
  })

  it("reads undici's raw flat array of strings and Buffers", () => {
    const raw = [latin1('Retry-After'), latin1('9'), 'x-a', '1', latin1('X-A'), latin1('2'), 'dangling']
    expect(getHeader(raw, 'retry-after')).toBe('9')
    expect(getHeader(raw, 'x-a')).toBe('1, 2')
    expect(getHeader(raw, 'dangling')).toBeUndefined()
  })

  it('decodes header bytes as ISO-8859-1', () => {
    expect(getHeader([latin1('x-name'), Uint8Array.of(0x63, 0x61, 0x66, 0xe9)], 'x-name')).toBe('café')
  })

  it('reads an array of [name, value] pairs', () => {
    expect(getHeader([['Idempotency-Key', 'k1'] as const, ['x-a', ['1', '2']] as const], 'idempotency-key')).toBe('k1')
    expect(getHeader([['x-a', ['1', '2']] as const], 'X-A')).toBe('1, 2')
  })

  it('reads any iterable of [name, value] pairs, and stops reading an endless one', () => {
    function* pairs(): Generator<readonly [string, string]> {
      yield ['Idempotency-Key', 'k2']
      yield ['x-a', '1']
    }
    expect(getHeader(pairs(), 'idempotency-key')).toBe('k2')
    function* endless(): Generator<readonly [string, string]> {
      for (;;) yield ['x-a', '1']
    }
    expect(getHeader(endless(), 'x-a')?.split(', ')).toHaveLength(1_000)
  })

  it('skips names that are not text and reads on', () => {
    expect(getHeader([[{}, 'x'] as unknown as readonly [string, string], ['x-a', '1']], 'x-a')).toBe('1')
    expect(getHeader([{}, 'x', 'x-a', '1'] as unknown as string[], 'x-a')).toBe('1')
  })

  it('skips values that are not text, alone or in an array', () => {
    expect(getHeader({ 'x-a': ['1', null, true, {}, '2'] }, 'x-a')).toBe('1, 2')
    expect(getHeader({ 'X-A': true, 'x-a': '3' }, 'x-a')).toBe('3')
    expect(getHeader({ 'x-a': Number.NaN }, 'x-a')).toBeUndefined()
  })

  it('reads a function object that has get(name)', () => {
    const headers = Object.assign(() => undefined, { get: (name: string) => (name === 'retry-after' ? '5' : null) })
    expect(getHeader(headers, 'Retry-After')).toBe('5')
  })

  it('reads a Map by its lower-case key', () => {
    expect(getHeader(new Map([['retry-after', '5']]), 'Retry-After')).toBe('5')
  })

  it('answers undefined for values that are not headers', () => {
    for (const value of [undefined, null, 'retry-after: 5', 5, true]) {
      expect(getHeader(value as unknown as HeadersLike, 'retry-after')).toBeUndefined()
    }
    expect(getHeader({ get: 'not a function', 'retry-after': '5' }, 'retry-after')).toBe('5')
  })

  it('never throws on hostile headers', () => {
    const throwingGet = {
      get(): never {
        throw new Error('boom')
      },
    }
    const throwingGetter = Object.defineProperty({}, 'retry-after', {
      enumerable: true,
      get(): never {
        throw new Error('boom')
      },
    })
    const { proxy, revoke } = Proxy.revocable({}, {})
    revoke()
    const trapping = new Proxy(
      {},
      {
        ownKeys(): never {
          throw new Error('boom')
        },
      },
    )
    for (const headers of [throwingGet, throwingGetter, proxy, trapping]) {
      expect(getHeader(headers as HeadersLike, 'retry-after')).toBeUndefined()
    }
  })

  it('never throws and answers a string or undefined for any value', () => {
    fc.assert(
      fc.property(fc.anything({ withMap: true, withSet: true, withTypedArray: true }), fc.string(), (value, name) => {
        const result = getHeader(value as HeadersLike, name)
        return result === undefined || typeof result === 'string'
      }),
    )
  })
})
