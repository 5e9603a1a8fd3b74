/**
 * True for a request body that can be read only once: a `ReadableStream`, or an async iterable
 * (a Node `Readable`, an async generator), both of which Node's fetch accepts. Strings,
 * `ArrayBuffer`s, typed arrays, `Blob`s, `URLSearchParams` and `FormData` can be sent again.
 */
export function isOneShotBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false
  if (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) return true
  return typeof (body as { getReader?: unknown }).getReader === 'function' || Symbol.asyncIterator in body
}
