/**
 * A bare item of an RFC 9651 structured field, tagged with its type: a `date` is in seconds since
 * the epoch, a byte sequence (`bytes`) is decoded, a display string (`displayString`) is decoded
 * from its percent-encoded UTF-8.
 */
export type SfBareItem =
  | { readonly kind: 'integer' | 'decimal' | 'date'; readonly value: number }
  | { readonly kind: 'string' | 'token' | 'displayString'; readonly value: string }
  | { readonly kind: 'bytes'; readonly value: Uint8Array }
  | { readonly kind: 'boolean'; readonly value: boolean }

/** Where a parser is in the field value: the text and the index of the next character. */
export interface Cursor {
  readonly text: string
  at: number
}

const ALPHA = /[A-Za-z]/
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z:/]/

/**
 * Parses the bare item at `cursor` (RFC 9651 §4.2.3.1: its first character names its type) and
 * moves past it; `undefined` when none parses there.
 */
export function parseBareItem(cursor: Cursor): SfBareItem | undefined {
  const ch = cursor.text[cursor.at] ?? ''
  if (ch === '-' || isDigitAt(cursor.text, cursor.at)) return parseNumber(cursor)
  if (ch === '"') return parseString(cursor)
  if (ch === '*' || ALPHA.test(ch)) return parseToken(cursor)
  if (ch === ':') return parseBytes(cursor)
  if (ch === '?') return parseBoolean(cursor)
  if (ch === '@') return parseDate(cursor)
  if (ch === '%') return parseDisplayString(cursor)
  return undefined
}

// RFC 9651 §4.2.4: at most 15 digits for an integer; 12 integer and 3 fraction digits for a decimal.
function parseNumber(cursor: Cursor): SfBareItem | undefined {
  const start = cursor.at
  if (cursor.text[cursor.at] === '-') cursor.at++
  const digitsStart = cursor.at
  if (!isDigitAt(cursor.text, digitsStart)) return undefined
  let dot: number | undefined
  for (;;) {
    if (isDigitAt(cursor.text, cursor.at)) cursor.at++
    else if (cursor.text[cursor.at] === '.' && dot === undefined) dot = cursor.at++
    else break
    if (cursor.at - digitsStart > (dot === undefined ? 15 : 16)) return undefined
  }
  // `+ 0` turns -0 into 0: the integer and decimal types have no negative zero.
  const value = Number(cursor.text.slice(start, cursor.at)) + 0
  if (dot === undefined) return { kind: 'integer', value }
  const fractionDigits = cursor.at - dot - 1
  if (dot - digitsStart > 12 || fractionDigits < 1 || fractionDigits > 3) return undefined
  return { kind: 'decimal', value }
}

function isDigitAt(text: string, at: number): boolean {
  const code = text.charCodeAt(at)
  return code >= 0x30 && code <= 0x39
}

// RFC 9651 §4.2.5: printable ASCII; a backslash escapes only `"` and `\`.
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
    if (!isPrintableAscii(ch)) return undefined
    value += ch
  }
}

function parseToken(cursor: Cursor): SfBareItem {
  const start = cursor.at++
  while (TOKEN_CHAR.test(cursor.text[cursor.at] ?? '')) cursor.at++
  return { kind: 'token', value: cursor.text.slice(start, cursor.at) }
}

// RFC 9651 §4.2.7: base64 between colons, decoded strictly ("=" only as final padding), except
// that missing padding and non-zero pad bits are accepted, as the RFC says parsers SHOULD.
function parseBytes(cursor: Cursor): SfBareItem | undefined {
  const start = ++cursor.at
  const end = cursor.text.indexOf(':', start)
  if (end < 0) return undefined
  cursor.at = end + 1
  const value = decodeBase64(cursor.text.slice(start, end))
  return value && { kind: 'bytes', value }
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

function decodeBase64(text: string): Uint8Array | undefined {
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0
  const length = text.length - padding
  // Padding, when present, must complete the last quantum; a lone character in it is no byte.
  if (length % 4 === 1 || (padding > 0 && text.length % 4 !== 0)) return undefined
  const bytes = new Uint8Array(Math.floor((length * 3) / 4))
  let bits = 0
  let bitCount = 0
  let written = 0
  for (let i = 0; i < length; i++) {
    const sextet = BASE64_ALPHABET.indexOf(text[i] as string)
    if (sextet < 0) return undefined
    bits = ((bits << 6) | sextet) & 0xfff
    bitCount += 6
    if (bitCount >= 8) {
      bitCount -= 8
      bytes[written++] = (bits >> bitCount) & 0xff
    }
  }
  return bytes
}

function parseBoolean(cursor: Cursor): SfBareItem | undefined {
  const ch = cursor.text[cursor.at + 1]
  if (ch !== '0' && ch !== '1') return undefined
  cursor.at += 2
  return { kind: 'boolean', value: ch === '1' }
}

// RFC 9651 §4.2.9: `@` and an integer, in seconds since the epoch.
function parseDate(cursor: Cursor): SfBareItem | undefined {
  cursor.at++
  const number = parseNumber(cursor)
  return number?.kind === 'integer' ? { kind: 'date', value: number.value } : undefined
}

const LOWER_HEX = /^[0-9a-f]{2}$/

// RFC 9651 §4.2.10: `%"…"`, printable ASCII with `%` and two lower-case hex digits for a byte;
// the bytes must be valid UTF-8.
function parseDisplayString(cursor: Cursor): SfBareItem | undefined {
  if (cursor.text[cursor.at + 1] !== '"') return undefined
  cursor.at += 2
  const bytes: number[] = []
  for (;;) {
    const ch = cursor.text[cursor.at++]
    if (ch === undefined || !isPrintableAscii(ch)) return undefined
    if (ch === '"') break
    if (ch === '%') {
      const hex = cursor.text.slice(cursor.at, cursor.at + 2)
      if (!LOWER_HEX.test(hex)) return undefined
      bytes.push(Number.parseInt(hex, 16))
      cursor.at += 2
    } else bytes.push(ch.charCodeAt(0))
  }
  try {
    // Made per call: display strings are rare, and a module-level decoder would be built at import.
    const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
    return { kind: 'displayString', value: utf8.decode(Uint8Array.from(bytes)) }
  } catch {
    return undefined
  }
}

function isPrintableAscii(ch: string): boolean {
  const code = ch.charCodeAt(0)
  return code >= 0x20 && code <= 0x7e
}
