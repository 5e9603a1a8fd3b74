/**
 * The official structured-field test corpus (https://github.com/httpwg/structured-field-tests,
 * commit 1e280c3, BSD-licensed: fixtures/structured-field-tests/LICENSE.md), run against the
 * RFC 9651 parser every RateLimit field goes through. Issue 14, defect 9: the parser accepted an
 * `=` inside a byte sequence, which this corpus rejects, and knew no dates nor display strings.
 * Every file is here but `large-generated.json` (728 KB of long lists and strings, which the
 * RateLimit fields never carry).
 */
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import {
  parseStructuredDictionary,
  parseStructuredItem,
  parseStructuredList,
  type SfBareItem,
  type SfMember,
} from '../src/http/headers/parseStructuredField.ts'

const CORPUS = new URL('./fixtures/structured-field-tests/', import.meta.url)

/** One test of the corpus (its `parse.schema.json`). */
interface CorpusTest {
  readonly name: string
  readonly raw: readonly string[]
  readonly header_type: 'item' | 'list' | 'dictionary'
  readonly expected?: unknown
  readonly must_fail?: boolean
  readonly can_fail?: boolean
}

/** RFC 4648 base32, as the corpus writes a byte sequence's expected bytes, to lower-case hex. */
function base32ToHex(text: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = 0
  let value = 0
  let hex = ''
  for (const char of text.replace(/=+$/, '')) {
    value = (value << 5) | alphabet.indexOf(char)
    bits += 5
    if (bits >= 8) {
      hex += ((value >>> (bits - 8)) & 0xff).toString(16).padStart(2, '0')
      bits -= 8
    }
  }
  return hex
}

/** A parsed bare item in the corpus's JSON shape (a decimal is a plain number there, as an integer is). */
function corpusBare(item: SfBareItem): unknown {
  switch (item.kind) {
    case 'integer':
    case 'decimal':
    case 'string':
    case 'boolean':
      return item.value
    case 'token':
      return { __type: 'token', value: item.value }
    case 'bytes':
      return { __type: 'binary', value: Array.from(item.value, (b) => b.toString(16).padStart(2, '0')).join('') }
    case 'date':
      return { __type: 'date', value: item.value }
    case 'displayString':
      return { __type: 'displaystring', value: item.value }
  }
}

function corpusParams(params: ReadonlyMap<string, SfBareItem>): unknown {
  return Array.from(params, ([key, value]) => [key, corpusBare(value)])
}

function corpusMember(member: SfMember): unknown {
  return member.kind === 'item'
    ? [corpusBare(member.item), corpusParams(member.params)]
    : [member.items.map(corpusMember), corpusParams(member.params)]
}

/** The corpus's expected value with each byte sequence's base32 turned to hex, as {@link corpusBare} writes it. */
function expectedOf(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(expectedOf)
  if (typeof value === 'object' && value !== null && (value as { __type?: unknown }).__type === 'binary')
    return { __type: 'binary', value: base32ToHex(String((value as { value: unknown }).value)) }
  return value
}

/** Parses a test's field lines joined with ", " (as `getHeader` joins them); `undefined` when the field fails. */
function parse(test: CorpusTest): unknown {
  const value = test.raw.join(', ')
  switch (test.header_type) {
    case 'item': {
      const item = parseStructuredItem(value)
      return item === undefined ? undefined : corpusMember(item)
    }
    case 'list':
      return parseStructuredList(value)?.map(corpusMember)
    case 'dictionary': {
      const dictionary = parseStructuredDictionary(value)
      return dictionary === undefined
        ? undefined
        : Array.from(dictionary, ([key, member]) => [key, corpusMember(member)])
    }
  }
}

const files = readdirSync(CORPUS)
  .filter((file) => file.endsWith('.json'))
  .sort()

describe('RFC 9651 parsing against the httpwg structured-field-tests corpus', () => {
  it('reads every file of the corpus but large-generated.json', () => {
    expect(files).toHaveLength(19)
  })

  for (const file of files) {
    const tests = (JSON.parse(readFileSync(new URL(file, CORPUS), 'utf8')) as CorpusTest[]).filter(
      (test) => test.raw !== undefined,
    )
    describe(file, () => {
      it.each(tests.map((test) => [test.name, test] as const))('%s', (_name, test) => {
        const parsed = parse(test)
        if (test.must_fail === true) expect(parsed).toBeUndefined()
        else if (parsed === undefined) expect(test.can_fail, 'fails, and the corpus says it may not').toBe(true)
        else expect(parsed).toEqual(expectedOf(test.expected))
      })
    })
  }
})
