/**
 * Strips optional whitespace around a field value (RFC 9110 §5.5), plus CR and LF, which WHATWG
 * `Headers` also strips, for values read from raw records. A loop, not a regex: `/\s+$/` is
 * quadratic on a long run of inner whitespace.
 */
export function trimHttpWhitespace(value: string): string {
  let start = 0
  let end = value.length
  // Past the end charCodeAt gives NaN, which is not whitespace.
  while (isHttpWhitespace(value.charCodeAt(start))) start++
  while (end > start && isHttpWhitespace(value.charCodeAt(end - 1))) end--
  return value.slice(start, end)
}

function isHttpWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a
}
