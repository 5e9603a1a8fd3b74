/** A body read to its end or to its error. */
export interface ReadBody {
  /** The bytes that arrived before the end or the error. */
  readonly bytes: Buffer
  /** What the read failed with; `undefined` when the body ended. */
  readonly error: unknown
}

/**
 * Reads `body` — a Node stream or async iterable (axios's `Readable`, undici's body) or a web
 * `ReadableStream` (a fetch `Response.body`) — to its end or its error, never rejecting: what a
 * test of a cut download checks is which bytes arrived and how the body ended.
 */
export async function readToEnd(
  body: AsyncIterable<Uint8Array> | ReadableStream<Uint8Array> | null | undefined,
): Promise<ReadBody> {
  const chunks: Uint8Array[] = []
  let error: unknown
  try {
    if (body instanceof ReadableStream) {
      const reader = body.getReader()
      for (let read = await reader.read(); !read.done; read = await reader.read()) chunks.push(read.value)
    } else if (body !== null && body !== undefined) {
      for await (const chunk of body) chunks.push(chunk)
    }
  } catch (e) {
    error = e
  }
  return { bytes: Buffer.concat(chunks), error }
}

/**
 * Reads a Node body (an async iterable: undici's body, axios's stream) and calls `stop` once more
 * than `limit` bytes have arrived (a test's caller aborting mid-body); returns how many bytes
 * arrived and what the read failed with (`undefined` when the body ended).
 */
export async function readUntil(
  body: AsyncIterable<Uint8Array>,
  limit: number,
  stop: () => void,
): Promise<{ readonly received: number; readonly error: unknown }> {
  let received = 0
  let stopped = false
  try {
    for await (const chunk of body) {
      received += chunk.length
      if (received > limit && !stopped) {
        stopped = true
        stop()
      }
    }
  } catch (error) {
    return { received, error }
  }
  return { received, error: undefined }
}
