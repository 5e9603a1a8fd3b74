/**
 * Whether undici can send this request body again on a retry: no body, strings, `Buffer`s,
 * typed arrays, `ArrayBuffer`s and Blobs are read afresh on each dispatch; streams, async
 * iterables, iterables and `FormData` are consumed by the first dispatch.
 */
export function isReplayableBody(body: unknown): boolean {
  if (body === undefined || body === null || typeof body === 'string') return true
  if (ArrayBuffer.isView(body) || body instanceof ArrayBuffer) return true
  return typeof Blob === 'function' && body instanceof Blob
}
