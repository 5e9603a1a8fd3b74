/** What `bufferBody` made of a one-shot body. */
export type BufferedBody =
  /** The whole body fitted: it can be sent any number of times. */
  | { readonly kind: 'bytes'; readonly bytes: Uint8Array<ArrayBuffer> }
  /** The body is longer than the limit: the bytes read so far, then the rest, to be sent once. */
  | { readonly kind: 'stream'; readonly stream: ReadableStream<Uint8Array> }

const encoder = new TextEncoder()

/**
 * Reads a one-shot body (a `ReadableStream` or an async iterable of bytes or strings) until it
 * ends or passes `maxBytes`. A body that fits comes back as bytes; a longer one as a stream that
 * yields what was read and then the rest, so nothing is lost or read twice.
 *
 * @param maxBytes the largest body kept in memory, in bytes
 * @param signal aborting it stops reading, cancels the body and rejects with `signal.reason`
 * @throws {TypeError} when the body yields a chunk that is neither bytes nor a string
 */
export async function bufferBody(
  body: object,
  maxBytes: number,
  signal: AbortSignal | undefined,
): Promise<BufferedBody> {
  const iterator = iteratorOf(body)
  const chunks: Uint8Array[] = []
  let total = 0
  try {
    for (;;) {
      const next = await untilAborted(iterator.next(), signal)
      if (next.done === true) return { kind: 'bytes', bytes: concat(chunks, total) }
      const chunk = toBytes(next.value)
      chunks.push(chunk)
      total += chunk.byteLength
      if (total > maxBytes) return { kind: 'stream', stream: resume(chunks, iterator) }
    }
  } catch (error) {
    void iterator.return?.().catch(() => {})
    throw error
  }
}

function iteratorOf(body: object): AsyncIterator<unknown> {
  if (typeof (body as { getReader?: unknown }).getReader === 'function') {
    const reader = (body as ReadableStream<unknown>).getReader()
    return {
      next: () => reader.read() as Promise<IteratorResult<unknown>>,
      return: async (): Promise<IteratorResult<unknown>> => {
        await reader.cancel()
        return { done: true, value: undefined }
      },
    }
  }
  return (body as AsyncIterable<unknown>)[Symbol.asyncIterator]()
}

function toBytes(chunk: unknown): Uint8Array {
  if (chunk instanceof Uint8Array) return chunk
  if (typeof chunk === 'string') return encoder.encode(chunk)
  if (ArrayBuffer.isView(chunk)) return new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength)
  if (chunk instanceof ArrayBuffer) return new Uint8Array(chunk)
  throw new TypeError('redressFetch: a stream body yielded a chunk that is neither bytes nor a string')
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}

function resume(prefix: Uint8Array[], iterator: AsyncIterator<unknown>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller): Promise<void> {
      const head = prefix.shift()
      if (head !== undefined) {
        controller.enqueue(head)
        return
      }
      const next = await iterator.next()
      if (next.done === true) controller.close()
      else controller.enqueue(toBytes(next.value))
    },
    async cancel(reason): Promise<void> {
      await iterator.return?.(reason)
    },
  })
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise
  if (signal.aborted) return Promise.reject(signal.reason)
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      },
    )
  })
}
