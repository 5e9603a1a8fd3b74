import { Readable } from 'node:stream'
import type { ResumableDownload } from '@redress/core/adapter'

/** A continuation spliced into the stream: its body, and the first bytes already read from it. */
export interface ResumedBody {
  readonly stream: Readable
  /** The first bytes, read before the continuation was accepted. */
  readonly first: Buffer | undefined
  /** True when the body ended before any byte (its end was consumed while waiting for them). */
  readonly ended: boolean
}

/**
 * The `data` stream of a `responseType: 'stream'` response whose body survives cuts: when the
 * body fails mid-way (a reset, a proxy timeout), `resume` continues it — a `Range` request under
 * the policy, checked by the download — and the caller keeps reading this one stream. A
 * continuation that cannot be spliced destroys it with a `ResumeError`; the caller's abort with
 * the abort reason; destroying it (the caller gave up) cancels any resume in flight.
 */
export class ResumableStream extends Readable {
  readonly #download: ResumableDownload
  readonly #resume: (cut: unknown) => Promise<ResumedBody>
  readonly #signal: AbortSignal | undefined
  #source: Readable
  #closed = false
  #unlisten: (() => void) | undefined

  /**
   * @param source the response's own `data` stream
   * @param download what the caller has received of the body
   * @param resume continues the body after a cut (see `ResumableDownload.resume`)
   * @param signal the caller's cancellation, if any: it ends the stream with its reason
   */
  constructor(
    source: Readable,
    download: ResumableDownload,
    resume: (cut: unknown) => Promise<ResumedBody>,
    signal: AbortSignal | undefined,
  ) {
    super()
    this.#download = download
    this.#resume = resume
    this.#signal = signal
    this.#source = source
    this.#attach(source, undefined)
    if (signal !== undefined) {
      const onAbort = (): void => {
        this.destroy(toError(signal.reason))
      }
      signal.addEventListener('abort', onAbort, { once: true })
      this.#unlisten = () => signal.removeEventListener('abort', onAbort)
    }
  }

  override _read(): void {
    this.#source.resume()
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.#close()
    const reason = error ?? new Error('redress: the stream was destroyed')
    this.#download.cancel(reason)
    this.#source.destroy()
    callback(error)
  }

  #attach(source: Readable, first: Buffer | undefined): void {
    this.#source = source
    source.on('data', this.#onData)
    source.on('end', this.#onEnd)
    source.on('error', this.#onError)
    // Nothing flows before the caller reads (_read resumes it).
    source.pause()
    if (first !== undefined) this.#onData(first)
  }

  #detach(source: Readable): void {
    source.off('data', this.#onData)
    source.off('end', this.#onEnd)
    source.off('error', this.#onError)
    // A late error of a detached source must not crash the process.
    source.on('error', ignore)
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#closed) return
    // Bytes past the body's last one (a continuation longer than its range) are never delivered.
    const overrun = this.#download.deliver(chunk.length)
    if (overrun !== undefined) {
      this.destroy(overrun)
      return
    }
    if (!this.push(chunk)) this.#source.pause()
  }

  readonly #onEnd = (): void => {
    if (this.#closed) return
    const short = this.#download.finish()
    if (short !== undefined) {
      this.destroy(short)
      return
    }
    this.#close()
    this.push(null)
  }

  readonly #onError = (cut: unknown): void => {
    if (this.#closed) return
    const source = this.#source
    this.#detach(source)
    const signal = this.#signal
    if (signal?.aborted === true) {
      this.destroy(toError(signal.reason))
      return
    }
    if (this.#download.complete) {
      // Every byte of a body of known length arrived before the connection failed.
      this.#close()
      this.push(null)
      return
    }
    this.#resume(cut).then(
      (resumed) => {
        if (this.#closed) {
          resumed.stream.destroy()
          return
        }
        if (resumed.ended) {
          this.#onEnd()
          return
        }
        this.#attach(resumed.stream, resumed.first)
        // The caller may be waiting for data already: _read will not be called again before a push.
        if (this.readableLength < this.readableHighWaterMark) resumed.stream.resume()
      },
      (error: unknown) => this.destroy(toError(error)),
    )
  }

  #close(): void {
    this.#closed = true
    this.#unlisten?.()
    this.#unlisten = undefined
  }
}

function ignore(): void {}

/** Node streams are destroyed with errors; an abort reason may be anything. */
function toError(value: unknown): Error {
  return value instanceof Error ? value : Object.assign(new Error(String(value)), { reason: value })
}
