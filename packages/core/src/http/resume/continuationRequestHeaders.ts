import { RESUME_REPLACED_HEADERS } from './continuationHeaders.ts'

/**
 * The request headers of a continuation: the caller's own `given` headers, in whatever shape its
 * client takes them — a plain object, a `Headers` or `Map` (any iterable of `[name, value]`
 * pairs), a list of `[name, value]` pairs, or a flat `[name, value, …]` list (undici's) — as one
 * plain object, without any header of {@link RESUME_REPLACED_HEADERS} (in any case), and with
 * `continuation`'s (from `continuationHeaders`) added.
 *
 * Every other value is kept as it was given, so the continuation carries what the request carried
 * (an array stays an array; axios's `false`, which suppresses a default header, stays `false`).
 * Dropped: a name that is not a string, an `undefined` value, and a `given` that is none of those
 * shapes. Never throws for a value of any type; a getter or iterator of the caller's that throws
 * does (as it would when the client read the headers).
 *
 * @example
 * continuationRequestHeaders({ 'X-Token': 'a', Range: 'bytes=0-' }, { range: 'bytes=400-', 'if-match': '"v1"', 'if-range': '"v1"' })
 * // { 'X-Token': 'a', range: 'bytes=400-', 'if-match': '"v1"', 'if-range': '"v1"' }
 */
export function continuationRequestHeaders(
  given: unknown,
  continuation: Readonly<Record<string, string>>,
): Record<string, unknown> {
  // No prototype while it is filled: a header named `__proto__` is a property like any other.
  const headers: Record<string, unknown> = Object.create(null)
  const put = (name: unknown, value: unknown): void => {
    if (typeof name !== 'string' || value === undefined) return
    if (RESUME_REPLACED_HEADERS.includes(name.toLowerCase())) return
    headers[name] = value
  }
  if (Array.isArray(given)) {
    // A list of [name, value] pairs, or a flat [name, value, …] list.
    if (Array.isArray(given[0])) {
      for (const pair of given) if (Array.isArray(pair)) put(pair[0], pair[1])
    } else for (let i = 0; i + 1 < given.length; i += 2) put(given[i], given[i + 1])
  } else if (typeof given === 'object' && given !== null) {
    if (typeof (given as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function') {
      for (const pair of given as Iterable<unknown>) if (Array.isArray(pair)) put(pair[0], pair[1])
    } else for (const [name, value] of Object.entries(given)) put(name, value)
  }
  for (const [name, value] of Object.entries(continuation)) headers[name] = value
  // An ordinary object for the client (the spread defines its properties, setting no prototype).
  return { ...headers }
}
