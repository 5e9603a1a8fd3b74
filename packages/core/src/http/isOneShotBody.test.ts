import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { isOneShotBody } from './isOneShotBody.ts'

/** An object whose every read throws (built lazily: vitest must not print it). */
const hostile = (): object =>
  new Proxy(
    {},
    {
      get() {
        throw new Error('no')
      },
      has() {
        throw new Error('no')
      },
    },
  )

describe('isOneShotBody', () => {
  const rows: Array<[string, boolean, () => unknown]> = [
    ['a web ReadableStream', true, () => new ReadableStream()],
    ['a Node Readable', true, () => Readable.from(['a'])],
    ['an async generator', true, () => (async function* () {})()],
    ['a pipe-able form-data-like stream', true, () => ({ pipe: () => {} })],
    ['an object whose reads throw', true, hostile],
    ['a string', false, () => 'body'],
    ['a Buffer', false, () => Buffer.from('x')],
    ['an ArrayBuffer', false, () => new ArrayBuffer(2)],
    ['a Blob', false, () => new Blob(['x'])],
    ['URLSearchParams', false, () => new URLSearchParams('a=1')],
    ['FormData', false, () => new FormData()],
    ['a plain object', false, () => ({ a: 1 })],
    ['null', false, () => null],
    ['undefined', false, () => undefined],
  ]
  it.each(rows)('%s → one-shot: %s', (_name, expected, make) => {
    expect(isOneShotBody(make())).toBe(expected)
  })
})
