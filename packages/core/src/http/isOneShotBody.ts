/**
 * True for a request body that can be read only once, so a retry could not send it
 * again: a web `ReadableStream` (anything with `getReader`), a Node `Readable` (anything
 * with `pipe`, `form-data` streams included), or any async iterable. Strings, `Buffer`s,
 * `ArrayBuffer`s, typed arrays, `Blob`s, `URLSearchParams`, `FormData` and plain objects
 * can be sent again. A value whose properties throw on read counts as one-shot: it cannot
 * be replayed safely. Adapters add what their own transport consumes (undici, for one,
 * consumes `FormData` and sync iterables too).
 */
export function isOneShotBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false
  try {
    const b = body as { pipe?: unknown; getReader?: unknown }
    return typeof b.getReader === 'function' || typeof b.pipe === 'function' || Symbol.asyncIterator in body
  } catch {
    return true
  }
}
