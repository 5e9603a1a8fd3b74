import type { Readable } from 'node:stream'
import type { ResumableDownload } from '@redress/core/adapter'

/** A continuation spliced into the stream: its body, and the first bytes already read from it. */
export interface ResumedBody {
  readonly stream: Readable
  /** The first bytes, read before the continuation was accepted. */
  readonly first: Buffer | undefined
  /** True when the body ended before any byte (its end was consumed while waiting for them). */
  readonly ended: boolean
}

type ReadableClass = typeof Readable

/**
 * Node's `Readable`, looked up when a stream is first made rather than imported: axios also runs
 * in browsers, where bundles must load no Node module (and where no body is ever resumed).
 * `undefined` on a runtime without `process.getBuiltinModule` (Node < 20.16).
 */
function nodeReadable(): ReadableClass | undefined {
  const { process } = globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }
  const stream = process?.getBuiltinModule?.('node:stream') as { Readable?: ReadableClass } | undefined
  return stream?.Readable
}

/**
 * The `data` stream of a `responseType: 'stream'` response whose body survives cuts, or
 * `undefined` when Node's streams cannot be had: when the body fails mid-way (a reset, a proxy
 * timeout), `resume` continues it — a `Range` request under the policy, checked by the download —
 * and the caller keeps reading this one stream. A continuation that cannot be spliced destroys it
 * with a `ResumeError`; the caller's abort with the abort reason; destroying it (the caller gave
 * up) cancels any resume in flight and destroys the response underneath.
 *
 * A pass-through: each chunk of the body is counted and pushed as it arrives, with the body
 * paused while the caller's buffer is full (as `pipe` does); nothing else happens per chunk
 * until the body fails.
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
  const Readable = nodeReadable()
  if (Readable === undefined) return undefined
  let body = source
  // True between a cut and its continuation: the caller's reads then wait for the continuation.
  let resuming = false
  // True while the caller wants more than its buffer holds.
  let wanted = false

  const onData = (chunk: Buffer): void => {
    // Bytes past the body's last one (a continuation longer than its range) are never delivered.
    const overrun = download.deliver(chunk.length)
    if (overrun !== undefined) {
      out.destroy(overrun)
      return
    }
    if (!out.push(chunk)) {
      wanted = false
      body.pause()
    }
  }
  const onEnd = (): void => {
    detach(body)
    finish()
  }
  const onError = (cut: unknown): void => {
    detach(body)
    if (out.destroyed) return
    // The caller's cancellation cut the body: the stream ends with its reason.
    if (signal?.aborted === true) {
      out.destroy(toError(signal.reason))
      return
    }
    // Every byte of a body of known length arrived before the connection failed.
    if (download.complete) {
      out.push(null)
      return
    }
    resuming = true
    resume(cut).then(splice, (error: unknown) => {
      resuming = false
      out.destroy(error as Error)
    })
  }
  // Closed with neither its end nor an error: the connection went away mid-body.
  const onClose = (): void => onError(prematureClose())

  const attach = (stream: Readable): void => {
    stream.on('data', onData)
    stream.on('end', onEnd)
    stream.on('error', onError)
    stream.on('close', onClose)
  }
  const detach = (stream: Readable): void => {
    stream.off('data', onData)
    stream.off('end', onEnd)
    stream.off('error', onError)
    stream.off('close', onClose)
    // A body given up on may still report its own end: it must not crash the process.
    stream.on('error', ignore)
  }
  /** The body ended cleanly: short of its known end is an error, not a body. */
  const finish = (): void => {
    const short = download.finish()
    if (short !== undefined) out.destroy(short)
    else out.push(null)
  }
  const splice = (resumed: ResumedBody): void => {
    resuming = false
    if (out.destroyed) {
      resumed.stream.destroy()
      return
    }
    body = resumed.stream
    if (resumed.first !== undefined) onData(resumed.first)
    if (out.destroyed) return
    if (resumed.ended) {
      detach(body)
      finish()
      return
    }
    attach(body)
    if (wanted) body.resume()
  }
  const onAbort = (): void => {
    out.destroy(toError(signal?.reason))
  }

  const out: Readable = new Readable({
    read(): void {
      wanted = true
      if (!resuming) body.resume()
    },
    destroy(error, callback): void {
      signal?.removeEventListener('abort', onAbort)
      detach(body)
      if (!body.destroyed) body.destroy()
      // The caller gave up during a resume: it ends at once.
      if (resuming) download.cancel(error ?? new Error('redress: the stream was closed'))
      callback(error)
    },
  })
  if (source.destroyed) {
    // Cut before it could be wrapped: resumed at once.
    queueMicrotask(() => onError(source.errored ?? prematureClose()))
  } else {
    // Paused before its 'data' listener is added, so that nothing flows until the caller reads.
    source.pause()
    attach(source)
  }
  signal?.addEventListener('abort', onAbort, { once: true })
  return out
}

/** The error of a body closed mid-way without one of its own: what `for await` over it throws. */
function prematureClose(): Error {
  return Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' })
}

function ignore(): void {}

/** Node streams are destroyed with errors; an abort reason may be anything. */
function toError(value: unknown): Error {
  return value instanceof Error ? value : Object.assign(new Error(String(value)), { reason: value })
}
