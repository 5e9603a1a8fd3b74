import { describe, expect, it } from 'vitest'
import { parseStructuredDictionary, parseStructuredList } from './parseStructuredField.ts'

describe('parseStructuredList (RFC 9651)', () => {
  it('parses items with parameters', () => {
    expect(parseStructuredList('"default";r=0;t=30, day;r=5; t=3600')).toEqual([
      {
        kind: 'item',
        item: { kind: 'string', value: 'default' },
        params: new Map([
          ['r', { kind: 'integer', value: 0 }],
          ['t', { kind: 'integer', value: 30 }],
        ]),
      },
      {
        kind: 'item',
        item: { kind: 'token', value: 'day' },
        params: new Map([
          ['r', { kind: 'integer', value: 5 }],
          ['t', { kind: 'integer', value: 3600 }],
        ]),
      },
    ])
  })

  it('parses every bare item type and inner lists', () => {
    const members = parseStructuredList('1, -2.5, "a\\"b", tok/x:y, :aGk=:, ?1, (a "b");p, x;flag')
    expect(members?.map((m) => (m.kind === 'item' ? m.item : m.kind))).toEqual([
      { kind: 'integer', value: 1 },
      { kind: 'decimal', value: -2.5 },
      { kind: 'string', value: 'a"b' },
      { kind: 'token', value: 'tok/x:y' },
      { kind: 'bytes', value: Uint8Array.of(0x68, 0x69) },
      { kind: 'boolean', value: true },
      'innerList',
      { kind: 'token', value: 'x' },
    ])
  })

  it.each([
    ['a,'],
    ['a,,b'],
    ['"unterminated'],
    ['"bad \\n escape"'],
    ['a;R=1'],
    ['a;r=0 ;t=1'],
    ['1234567890123456'],
    ['1.2345'],
    ['1.'],
    ['-'],
    ['?2'],
    [':not base64!:'],
    ['(a b'],
    ['a b'],
    ['é'],
  ])('fails the whole field on %j', (value) => {
    expect(parseStructuredList(value)).toBeUndefined()
  })

  it('parses an empty field as an empty list', () => {
    expect(parseStructuredList('')).toEqual([])
  })
})

describe('parseStructuredDictionary (RFC 9651)', () => {
  it('parses keys with values, and bare keys as true', () => {
    const dict = parseStructuredDictionary('limit=100, remaining=0, reset=30, flag')
    expect(dict?.get('remaining')).toEqual({ kind: 'item', item: { kind: 'integer', value: 0 }, params: new Map() })
    expect(dict?.get('flag')).toEqual({ kind: 'item', item: { kind: 'boolean', value: true }, params: new Map() })
  })

  it('fails on a malformed dictionary', () => {
    expect(parseStructuredDictionary('"default";r=0')).toBeUndefined()
    expect(parseStructuredDictionary('limit=100,')).toBeUndefined()
    expect(parseStructuredDictionary('Limit=100')).toBeUndefined()
  })
})
