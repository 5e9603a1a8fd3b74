import type { ResumableDownload } from '@redress/core/adapter'
import type { ContinuationRequest } from './ContinuationRequest.ts'
import { type Continuation, continuationTransport } from './continuationTransport.ts'

/**
 * The same response, with a body that survives cuts: when the body stream fails mid-way (a reset,
 * a proxy timeout), `download.resume` re-requests the rest with `Range` and the validator under
 * the policy, and the caller keeps reading the same stream — the continuation's bytes, checked to
 * continue the body exactly. A continuation that cannot be spliced ends the stream with a
 * `ResumeError`; the caller's abort ends it with the abort reason, as fetch does.
 *
 * The status, status text and headers are the original's; `url`, `redirected` and `type` are
 * copied onto the new `Response` (the constructor cannot set them).
 */
export function resumableResponse(
  response: Response,
  body: ReadableStream<Uint8Array>,
  download: ResumableDownload,
  request: ContinuationRequest,
): Response {
  const source = new ResumableBody(body.getReader(), download, request)
  // highWaterMark 0: nothing is read from the network before the caller asks, as with the original body.
  const stream = new ReadableStream<Uint8Array>(source, { highWaterMark: 0 })
  const resumable = new Response(stream, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  })
  for (const key of ['url', 'redirected', 'type'] as const) {
    Object.defineProperty(resumable, key, { value: response[key], enumerable: true })
  }
  return resumable
}

/** The underlying source of a resumable body. */
class ResumableBody implements UnderlyingDefaultSource<Uint8Array> {
  #reader: ReadableStreamDefaultReader<Uint8Array>
  #pending: Uint8Array | undefined
  readonly #download: ResumableDownload
  readonly #request: ContinuationRequest
  #unlisten: (() => void) | undefined
  #controller: ReadableStreamDefaultController<Uint8Array> | undefined
  #closed = false

  constructor(
    reader: ReadableStreamDefaultReader<Uint8Array>,
    download: ResumableDownload,
    request: ContinuationRequest,
  ) {
    this.#reader = reader
    this.#download = download
    this.#request = request
  }

  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.#controller = controller
  }

  // Per chunk: one read of the body underneath, counted and enqueued; nothing else until it fails.
  pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> | undefined {
    const held = this.#pending
    if (held !== undefined) {
      this.#pending = undefined
      if (this.#take(controller, held)) return undefined
    }
    return this.#reader.read().then(
      (read) => this.#read(controller, read),
      (cut: unknown) => this.#cut(controller, cut),
    )
  }

  /** Hands one chunk to the caller (or ends the stream on an overrun); false for an empty chunk. */
  #take(controller: ReadableStreamDefaultController<Uint8Array>, chunk: Uint8Array): boolean {
    if (chunk.byteLength === 0) return false
    const overrun = this.#download.deliver(chunk.byteLength)
    if (overrun !== undefined) this.#fail(controller, overrun)
    else controller.enqueue(chunk)
    return true
  }

  #read(
    controller: ReadableStreamDefaultController<Uint8Array>,
    read: ReadableStreamReadResult<Uint8Array>,
  ): Promise<void> | undefined {
    if (this.#closed) return undefined
    if (read.done) {
      const short = this.#download.finish()
      this.#end()
      if (short === undefined) controller.close()
      else controller.error(short)
      return undefined
    }
    // An empty chunk gives the caller nothing: read on.
    return this.#take(controller, read.value) ? undefined : this.pull(controller)
  }

  async #cut(controller: ReadableStreamDefaultController<Uint8Array>, cut: unknown): Promise<void> {
    if (this.#closed) return
    if (await this.#resume(cut, controller)) await this.pull(controller)
  }

  cancel(reason: unknown): Promise<void> {
    this.#closed = true
    this.#download.cancel(reason)
    this.#unlisten?.()
    return this.#reader.cancel(reason).catch(() => {})
  }

  /** Continues after `cut`; false when the stream ended (with an error, or whole). */
  async #resume(cut: unknown, controller: ReadableStreamDefaultController<Uint8Array>): Promise<boolean> {
    const { signal } = this.#request
    // The caller's abort cut the body: fetch ends it with the reason, and so do we.
    if (signal?.aborted === true) {
      this.#fail(controller, signal.reason)
      return false
    }
    // Every byte of a body of known length arrived before the connection failed.
    if (this.#download.complete) {
      this.#end()
      controller.close()
      return false
    }
    let continuation: Continuation
    try {
      continuation = await this.#download.resume(cut, continuationTransport(this.#request), signal)
    } catch (error) {
      this.#fail(controller, error)
      return false
    }
    if (this.#closed) {
      continuation.reader?.cancel().catch(() => {})
      return false
    }
    this.#listen()
    // firstBytes left the reader open and its first bytes (if any) unread by the caller.
    const reader = continuation.reader
    if (reader === undefined) return this.#failed(controller)
    this.#reader = reader
    this.#pending = continuation.first
    return true
  }

  #failed(controller: ReadableStreamDefaultController<Uint8Array>): boolean {
    this.#fail(controller, new TypeError('redressFetch: the continuation has no body'))
    return false
  }

  /**
   * After a resume the body comes from a request the caller's signal was never given to: the
   * signal is followed here, so an abort still ends the stream with its reason.
   */
  #listen(): void {
    const { signal } = this.#request
    if (signal === undefined || this.#unlisten !== undefined) return
    const onAbort = (): void => {
      if (this.#closed) return
      this.#download.cancel(signal.reason)
      if (this.#controller !== undefined) this.#fail(this.#controller, signal.reason)
    }
    signal.addEventListener('abort', onAbort, { once: true })
    this.#unlisten = () => signal.removeEventListener('abort', onAbort)
  }

  #fail(controller: ReadableStreamDefaultController<Uint8Array>, error: unknown): void {
    this.#end()
    this.#reader.cancel(error).catch(() => {})
    controller.error(error)
  }

  #end(): void {
    this.#closed = true
    this.#unlisten?.()
    this.#unlisten = undefined
  }
}
