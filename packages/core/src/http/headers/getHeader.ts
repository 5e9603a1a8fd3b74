/** One header value as HTTP clients store it: Node and undici records may hold arrays or numbers. */
export type HeaderValue = string | number | readonly string[] | null | undefined

/** Anything with a case-insensitive `get(name)`: a WHATWG `Headers`, axios's `AxiosHeaders`. */
export interface HeadersGetter {
  get(name: string): unknown
}

/**
 * Every shape of headers the adapters meet:
 * - a WHATWG `Headers` or axios's `AxiosHeaders` (anything with `get(name)`);
 * - a plain record with keys in any case (Node's `IncomingHttpHeaders`, undici's headers object,
 *   axios's raw headers); values other than strings, finite numbers and arrays of them are ignored;
 * - undici's raw flat array of name/value pairs (`['retry-after', '5', …]`, strings or `Buffer`s);
 * - an array or any iterable of `[name, value]` pairs (undici request `headers` may be given so).
 *
 * A `Map` is read through its case-sensitive `get`, with the name in lower case.
 */
export type HeadersLike =
  | HeadersGetter
  | Readonly<Record<string, unknown>>
  | readonly (string | Uint8Array)[]
  | readonly (readonly [string, HeaderValue])[]
  | Iterable<readonly [string, HeaderValue]>

/**
 * Reads one header from any {@link HeadersLike}, case-insensitively. Several values (an
 * array value, repeated raw pairs, or keys differing only in case) are joined with `", "`,
 * as RFC 9110 §5.3 combines field lines. Returns `undefined` when the header is absent or
 * `headers` is not a headers shape. Never throws, whatever it is handed (throwing getters,
 * revoked proxies, a `get` that throws).
 *
 * @example
 * getHeader({ 'Retry-After': '5' }, 'retry-after') // '5'
 */
export function getHeader(headers: HeadersLike | null | undefined, name: string): string | undefined {
  if ((typeof headers !== 'object' && typeof headers !== 'function') || headers === null) return undefined
  const wanted = name.toLowerCase()
  try {
    if (Array.isArray(headers)) return fromArray(headers, wanted)
    const get: unknown = (headers as { get?: unknown }).get
    if (typeof get === 'function') return joinValues([get.call(headers, wanted)])
    if (typeof (headers as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') {
      return fromPairs(headers as Iterable<unknown>, wanted)
    }
    return fromRecord(headers as Readonly<Record<string, unknown>>, wanted)
  } catch {
    return undefined
  }
}

function fromRecord(record: Readonly<Record<string, unknown>>, wanted: string): string | undefined {
  const found: unknown[] = []
  for (const key of Object.keys(record)) {
    if (key.toLowerCase() === wanted) found.push(record[key])
  }
  return joinValues(found)
}

/** How many entries of an iterable are read: a generator need not end. */
const MAX_ITERATED_ENTRIES = 1_000

function fromPairs(pairs: Iterable<unknown>, wanted: string): string | undefined {
  const found: unknown[] = []
  let seen = 0
  for (const pair of pairs) {
    if (++seen > MAX_ITERATED_ENTRIES) break
    if (Array.isArray(pair) && textOf(pair[0])?.toLowerCase() === wanted) found.push(pair[1])
  }
  return joinValues(found)
}

function fromArray(array: readonly unknown[], wanted: string): string | undefined {
  if (Array.isArray(array[0])) return fromPairs(array, wanted)
  const found: unknown[] = []
  // undici's raw headers: [name0, value0, name1, value1, …]; a dangling name is ignored.
  for (let i = 0; i + 1 < array.length; i += 2) {
    if (textOf(array[i])?.toLowerCase() === wanted) found.push(array[i + 1])
  }
  return joinValues(found)
}

function joinValues(values: readonly unknown[]): string | undefined {
  const parts: string[] = []
  for (const value of values) {
    if (Array.isArray(value)) {
      for (const item of value) {
        const text = textOf(item)
        if (text !== undefined) parts.push(text)
      }
    } else {
      const text = textOf(value)
      if (text !== undefined) parts.push(text)
    }
  }
  return parts.length === 0 ? undefined : parts.join(', ')
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : undefined
  if (value instanceof Uint8Array) return latin1(value)
  return undefined
}

// Header bytes are ISO-8859-1 on the wire (RFC 9110 §5.5); decoding by hand keeps core free
// of Node's Buffer so the fetch adapter also runs in browsers and workers.
function latin1(bytes: Uint8Array): string {
  let text = ''
  for (const byte of bytes) text += String.fromCharCode(byte)
  return text
}
