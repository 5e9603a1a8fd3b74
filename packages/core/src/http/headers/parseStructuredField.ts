import { type Cursor, parseBareItem, type SfBareItem } from './parseBareItem.ts'

export type { SfBareItem } from './parseBareItem.ts'

/** An item with its parameters (`"default";r=0;t=30`), or an inner list (`(a b);p=1`). */
export type SfMember =
  | { readonly kind: 'item'; readonly item: SfBareItem; readonly params: ReadonlyMap<string, SfBareItem> }
  | {
      readonly kind: 'innerList'
      readonly items: readonly SfMember[]
      readonly params: ReadonlyMap<string, SfBareItem>
    }

/** An item with its parameters, as a top-level Item field parses. */
export type SfItem = Extract<SfMember, { readonly kind: 'item' }>

/**
 * Parses an RFC 9651 List (`"a";r=0;t=30, "b";r=5;t=60`). Returns `undefined` when the value
 * does not parse: RFC 9651 §4.2 says a field that fails to parse is ignored as a whole.
 * Several field lines are parsed once joined with `", "` (RFC 9110 §5.3), as `getHeader` joins them.
 */
export function parseStructuredList(value: string): readonly SfMember[] | undefined {
  const cursor: Cursor = { text: value, at: 0 }
  skipSpaces(cursor)
  const members: SfMember[] = []
  while (cursor.at < cursor.text.length) {
    const member = parseMember(cursor)
    if (member === undefined) return undefined
    members.push(member)
    if (!afterMember(cursor)) return undefined
  }
  return members
}

/**
 * Parses an RFC 9651 Dictionary (`limit=100, remaining=0, reset=30`); a key without a value
 * is boolean `true`, and a repeated key keeps its first place and its last value. Returns
 * `undefined` when the value does not parse (RFC 9651 §4.2).
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
    if (!afterMember(cursor)) return undefined
  }
  return members
}

/**
 * Parses an RFC 9651 Item (`5; foo=bar`): one bare item and its parameters, with only spaces
 * around it. Returns `undefined` when the value does not parse (RFC 9651 §4.2).
 */
export function parseStructuredItem(value: string): SfItem | undefined {
  const cursor: Cursor = { text: value, at: 0 }
  skipSpaces(cursor)
  const item = parseBareItem(cursor)
  if (item === undefined) return undefined
  const params = parseParams(cursor)
  if (params === undefined) return undefined
  skipSpaces(cursor)
  return cursor.at === cursor.text.length ? { kind: 'item', item, params } : undefined
}

const KEY_START = /[a-z*]/
const KEY_CHAR = /[a-z0-9_\-.*]/

function skipSpaces(cursor: Cursor): void {
  while (cursor.text[cursor.at] === ' ') cursor.at++
}

function skipOws(cursor: Cursor): void {
  while (cursor.text[cursor.at] === ' ' || cursor.text[cursor.at] === '\t') cursor.at++
}

/**
 * Consumes what follows a list or dictionary member: the end, or a comma before another
 * member. False when neither follows.
 */
function afterMember(cursor: Cursor): boolean {
  skipOws(cursor)
  if (cursor.at === cursor.text.length) return true
  if (cursor.text[cursor.at] !== ',') return false
  cursor.at++
  skipOws(cursor)
  // RFC 9651 §4.2.1: a trailing comma fails the whole field.
  return cursor.at < cursor.text.length
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
    // At the end of the text no item parses, so an unclosed list fails below.
    if (cursor.text[cursor.at] === ')') {
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
