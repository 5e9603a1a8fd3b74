/**
 * True for request `data` that can be read only once: a Node `Readable` (anything with `pipe`,
 * `form-data`'s streams included), a web `ReadableStream`, or any async iterable. Strings,
 * `Buffer`s, `ArrayBuffer`s, typed arrays, `Blob`s, `URLSearchParams`, `FormData` and plain
 * objects can be sent again.
 */
export function isOneShotData(data: unknown): boolean {
  if (typeof data !== 'object' || data === null) return false
  try {
    const d = data as { pipe?: unknown; getReader?: unknown }
    return typeof d.pipe === 'function' || typeof d.getReader === 'function' || Symbol.asyncIterator in data
  } catch {
    // A proxy that throws on every read cannot be replayed safely either.
    return true
  }
}
