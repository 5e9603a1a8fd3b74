import type { Readable } from 'node:stream'
import type { ResumableDownload } from '@redress/core/adapter'
import { isResumeError } from '@redress/core/http'

/** A continuation spliced into the stream: its body, and the first bytes already read from it. */
export interface ResumedBody {
  readonly stream: Readable
  /** The first bytes, read before the continuation was accepted. */
  readonly first: Buffer | undefined
  /** True when the body ended before any byte (its end was consumed while waiting for them). */
  readonly ended: boolean
}

/** `Readable.from`, as a stream's class inherits it (so this module imports nothing from Node). */
type ReadableFrom = (iterable: AsyncIterable<Buffer>, options: { objectMode: boolean }) => Readable

/**
 * The `data` stream of a `responseType: 'stream'` response whose body survives cuts, or
 * `undefined` when `source` is not a Node stream: when the body fails mid-way (a reset, a proxy
 * timeout), `resume` continues it — a `Range` request under the policy, checked by the download —
 * and the caller keeps reading this one stream. A continuation that cannot be spliced destroys it
 * with a `ResumeError`; the caller's abort with the abort reason; destroying it (the caller gave
 * up) cancels any resume in flight and destroys the response underneath.
 *
 * Built with the `Readable.from` the source's own class inherits, so that this package imports no
 * Node module (axios also runs in browsers, where no body is ever resumed).
 *
 * @param source the response's own `data` stream
 * @param download what the caller has received of the body
 * @param resume continues the body after a cut (see `ResumableDownload.resume`)
 * @param signal the caller's cancellation, if any: it ends the stream with its reason
 */
export function resumableStream(
  source: Readable,
  download: ResumableDownload,
  resume: (cut: unknown) => Promise<ResumedBody>,
  signal: AbortSignal | undefined,
): Readable | undefined {
  const from = (source.constructor as { from?: unknown }).from
  if (typeof from !== 'function') return undefined
  const stream = (from as ReadableFrom).call(source.constructor, chunks(source, download, resume, signal), {
    objectMode: false,
  })
  if (signal !== undefined) {
    const onAbort = (): void => {
      stream.destroy(toError(signal.reason))
    }
    signal.addEventListener('abort', onAbort, { once: true })
    stream.once('close', () => signal.removeEventListener('abort', onAbort))
  }
  // The caller destroying the stream ends any resume in flight; the generator's own cleanup
  // destroys the body it was reading.
  stream.once('close', () => download.cancel(new Error('redress: the stream was closed')))
  return stream
}

/** The body's bytes, across cuts: each continuation's after the last, checked by the download. */
async function* chunks(
  first: Readable,
  download: ResumableDownload,
  resume: (cut: unknown) => Promise<ResumedBody>,
  signal: AbortSignal | undefined,
): AsyncGenerator<Buffer> {
  let body: Readable = first
  let held: Buffer | undefined
  try {
    for (;;) {
      try {
        if (held !== undefined) {
          const chunk = held
          held = undefined
          yield deliver(download, chunk)
        }
        for await (const chunk of body) yield deliver(download, chunk as Buffer)
        // Ended cleanly: short of the body's known end is an error, not a body.
        const short = download.finish()
        if (short !== undefined) throw short
        return
      } catch (cut) {
        if (isResumeError(cut)) throw cut
        // The caller's cancellation cut the body: the stream ends with its reason.
        if (signal?.aborted === true) throw toError(signal.reason)
        // Every byte of a body of known length arrived before the connection failed.
        if (download.complete) return
        const resumed = await resume(cut)
        body = resumed.stream
        held = resumed.first
        if (resumed.ended) {
          const short = download.finish()
          if (short !== undefined) throw short
          return
        }
      }
    }
  } finally {
    if (!body.destroyed) body.destroy()
  }
}

/** Counts `chunk` as delivered, or throws the download's error for bytes past the body's end. */
function deliver(download: ResumableDownload, chunk: Buffer): Buffer {
  const overrun = download.deliver(chunk.length)
  if (overrun !== undefined) throw overrun
  return chunk
}

/** Node streams are destroyed with errors; an abort reason may be anything. */
function toError(value: unknown): Error {
  return value instanceof Error ? value : Object.assign(new Error(String(value)), { reason: value })
}
