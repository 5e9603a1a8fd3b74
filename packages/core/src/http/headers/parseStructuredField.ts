/** A bare item of an RFC 8941 structured field, tagged with its type. */
export type SfBareItem =
  | { readonly kind: 'integer' | 'decimal'; readonly value: number }
  | { readonly kind: 'string' | 'token' | 'bytes'; readonly value: string }
  | { readonly kind: 'boolean'; readonly value: boolean }

/** An item with its parameters (`"default";r=0;t=30`), or an inner list (`(a b);p=1`). */
export type SfMember =
  | { readonly kind: 'item'; readonly item: SfBareItem; readonly params: ReadonlyMap<string, SfBareItem> }
  | {
      readonly kind: 'innerList'
      readonly items: readonly SfMember[]
      readonly params: ReadonlyMap<string, SfBareItem>
    }

/**
 * Parses an RFC 8941 List (`"a";r=0;t=30, "b";r=5;t=60`). Returns `undefined` when the value
 * does not parse: RFC 8941 §4.2 says a field that fails to parse is ignored as a whole.
 */
export function parseStructuredList(value: string): readonly SfMember[] | undefined {
  const cursor: Cursor = { text: value, at: 0 }
  skipSpaces(cursor)
  const members: SfMember[] = []
  while (cursor.at < cursor.text.length) {
    const member = parseMember(cursor)
    if (member === undefined) return undefined
    members.push(member)
    const next = afterMember(cursor)
    if (next === 'fail') return undefined
    if (next === 'end') break
  }
  return members
}

/**
 * Parses an RFC 8941 Dictionary (`limit=100, remaining=0, reset=30`); a key without a value
 * is boolean `true`. Returns `undefined` when the value does not parse (RFC 8941 §4.2).
 */
export function parseStructuredDictionary(value: string): ReadonlyMap<string, SfMember> | undefined {
  const cursor: Cursor = { text: value, at: 0 }
  skipSpaces(cursor)
  const members = new Map<string, SfMember>()
  while (cursor.at < cursor.text.length) {
    const key = parseKey(cursor)
    if (key === undefined) return undefined
    let member: SfMember | undefined
    if (cursor.text[cursor.at] === '=') {
      cursor.at++
      member = parseMember(cursor)
    } else {
      const params = parseParams(cursor)
      member = params && { kind: 'item', item: { kind: 'boolean', value: true }, params }
    }
    if (member === undefined) return undefined
    members.set(key, member)
    const next = afterMember(cursor)
    if (next === 'fail') return undefined
    if (next === 'end') break
  }
  return members
}

interface Cursor {
  readonly text: string
  at: number
}

const DIGIT = /[0-9]/
const ALPHA = /[A-Za-z]/
const KEY_START = /[a-z*]/
const KEY_CHAR = /[a-z0-9_\-.*]/
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/
const BASE64_CHAR = /[A-Za-z0-9+/=]/

function skipSpaces(cursor: Cursor): void {
  while (cursor.text[cursor.at] === ' ') cursor.at++
}

function skipOws(cursor: Cursor): void {
  while (cursor.text[cursor.at] === ' ' || cursor.text[cursor.at] === '\t') cursor.at++
}

/** Consumes what follows a list or dictionary member: the end, or a comma and another member. */
function afterMember(cursor: Cursor): 'end' | 'more' | 'fail' {
  skipOws(cursor)
  if (cursor.at >= cursor.text.length) return 'end'
  if (cursor.text[cursor.at] !== ',') return 'fail'
  cursor.at++
  skipOws(cursor)
  // RFC 8941 §4.2.1: a trailing comma fails the whole field.
  return cursor.at >= cursor.text.length ? 'fail' : 'more'
}

function parseMember(cursor: Cursor): SfMember | undefined {
  if (cursor.text[cursor.at] === '(') return parseInnerList(cursor)
  const item = parseBareItem(cursor)
  if (item === undefined) return undefined
  const params = parseParams(cursor)
  return params && { kind: 'item', item, params }
}

function parseInnerList(cursor: Cursor): SfMember | undefined {
  cursor.at++
  const items: SfMember[] = []
  for (;;) {
    skipSpaces(cursor)
    const ch = cursor.text[cursor.at]
    if (ch === undefined) return undefined
    if (ch === ')') {
      cursor.at++
      const params = parseParams(cursor)
      return params && { kind: 'innerList', items, params }
    }
    const item = parseBareItem(cursor)
    if (item === undefined) return undefined
    const params = parseParams(cursor)
    if (params === undefined) return undefined
    items.push({ kind: 'item', item, params })
    const after = cursor.text[cursor.at]
    if (after !== ' ' && after !== ')') return undefined
  }
}

function parseParams(cursor: Cursor): ReadonlyMap<string, SfBareItem> | undefined {
  const params = new Map<string, SfBareItem>()
  while (cursor.text[cursor.at] === ';') {
    cursor.at++
    skipSpaces(cursor)
    const key = parseKey(cursor)
    if (key === undefined) return undefined
    let value: SfBareItem | undefined = { kind: 'boolean', value: true }
    if (cursor.text[cursor.at] === '=') {
      cursor.at++
      value = parseBareItem(cursor)
      if (value === undefined) return undefined
    }
    params.set(key, value)
  }
  return params
}

function parseKey(cursor: Cursor): string | undefined {
  const start = cursor.at
  if (!KEY_START.test(cursor.text[cursor.at] ?? '')) return undefined
  cursor.at++
  while (KEY_CHAR.test(cursor.text[cursor.at] ?? '')) cursor.at++
  return cursor.text.slice(start, cursor.at)
}

function parseBareItem(cursor: Cursor): SfBareItem | undefined {
  const ch = cursor.text[cursor.at] ?? ''
  if (ch === '-' || DIGIT.test(ch)) return parseNumber(cursor)
  if (ch === '"') return parseString(cursor)
  if (ch === '*' || ALPHA.test(ch)) return parseToken(cursor)
  if (ch === ':') return parseBytes(cursor)
  if (ch === '?') return parseBoolean(cursor)
  return undefined
}

// RFC 8941 §4.2.4: at most 15 digits for an integer; 12 integer and 3 fraction digits for a decimal.
function parseNumber(cursor: Cursor): SfBareItem | undefined {
  const start = cursor.at
  if (cursor.text[cursor.at] === '-') cursor.at++
  const digitsStart = cursor.at
  let dot = -1
  for (;;) {
    const ch = cursor.text[cursor.at] ?? ''
    if (DIGIT.test(ch)) cursor.at++
    else if (ch === '.' && dot < 0) dot = cursor.at++
    else break
    if (cursor.at - digitsStart > (dot < 0 ? 15 : 16)) return undefined
  }
  if (cursor.at === digitsStart || !DIGIT.test(cursor.text[digitsStart] ?? '')) return undefined
  const text = cursor.text.slice(start, cursor.at)
  if (dot < 0) return { kind: 'integer', value: Number(text) }
  const fractionDigits = cursor.at - dot - 1
  if (dot - digitsStart > 12 || fractionDigits < 1 || fractionDigits > 3) return undefined
  return { kind: 'decimal', value: Number(text) }
}

function parseString(cursor: Cursor): SfBareItem | undefined {
  cursor.at++
  let value = ''
  for (;;) {
    const ch = cursor.text[cursor.at++]
    if (ch === undefined) return undefined
    if (ch === '"') return { kind: 'string', value }
    if (ch === '\\') {
      const escaped = cursor.text[cursor.at++]
      if (escaped !== '"' && escaped !== '\\') return undefined
      value += escaped
      continue
    }
    const code = ch.charCodeAt(0)
    if (code < 0x20 || code > 0x7e) return undefined
    value += ch
  }
}

function parseToken(cursor: Cursor): SfBareItem {
  const start = cursor.at++
  while (TOKEN_CHAR.test(cursor.text[cursor.at] ?? '')) cursor.at++
  return { kind: 'token', value: cursor.text.slice(start, cursor.at) }
}

function parseBytes(cursor: Cursor): SfBareItem | undefined {
  const start = ++cursor.at
  while (BASE64_CHAR.test(cursor.text[cursor.at] ?? '')) cursor.at++
  if (cursor.text[cursor.at] !== ':') return undefined
  const value = cursor.text.slice(start, cursor.at)
  cursor.at++
  return { kind: 'bytes', value }
}

function parseBoolean(cursor: Cursor): SfBareItem | undefined {
  const ch = cursor.text[cursor.at + 1]
  if (ch !== '0' && ch !== '1') return undefined
  cursor.at += 2
  return { kind: 'boolean', value: ch === '1' }
}
