import type { AttemptController } from './AttemptOwner.ts'
import { DISCARD_DUMP_MAX_BYTES, DISCARD_DUMP_MAX_MS } from './discardLimits.ts'
import type { UndiciHeaders } from './UndiciHeaders.ts'

/** A response held for the engine, then forwarded or discarded: its buffered body and how it ended. */
export class HeldResponse {
  chunks: Buffer[] | undefined = []
  bufferedBytes = 0
  trailers: UndiciHeaders | undefined
  error: { readonly error: unknown } | undefined
  dumpLeft = 0
  dumpTimer: ReturnType<typeof setTimeout> | undefined
  // Read until its first bytes (`firstBytes`): settled when they arrive.
  progress: { readonly resolve: () => void; readonly reject: (error: unknown) => void } | undefined

  /**
   * Resolves once the body delivered its first bytes (or ended), which stay held; rejects with
   * the body's error, or when the response is discarded. Resumes `controller` until then.
   */
  firstBytes(controller: AttemptController | undefined): Promise<void> {
    if (this.error !== undefined) return Promise.reject(this.error.error)
    if (this.bufferedBytes > 0 || this.trailers !== undefined) return Promise.resolve()
    return new Promise<void>((resolve, reject) => {
      this.progress = { resolve, reject }
      controller?.resume()
    })
  }

  /** The first bytes (or the end) arrived: pause the body again and settle the wait on them. */
  madeProgress(controller: AttemptController | undefined): void {
    controller?.pause()
    const progress = this.progress
    this.progress = undefined
    progress?.resolve()
  }

  /**
   * Reads the body of a discarded response to its end (its socket then returns to the pool),
   * calling `cut` once it is still arriving after `DISCARD_DUMP_MAX_MS`.
   */
  drain(controller: AttemptController, cut: () => void): void {
    this.dumpLeft = DISCARD_DUMP_MAX_BYTES - this.bufferedBytes
    // Bytes alone do not bound a body that trickles: one byte every 50 ms stays under the byte
    // limit for minutes (issue 14). Armed before resume(), which may deliver the whole body.
    const timer = setTimeout(cut, DISCARD_DUMP_MAX_MS)
    // The socket being drained keeps the process alive if anything should; the timer need not.
    timer.unref()
    this.dumpTimer = timer
    controller.resume()
  }

  /** The wait on the first bytes ends with `error` (the body failed, or was discarded). */
  stopWaiting(error: unknown): void {
    const progress = this.progress
    this.progress = undefined
    progress?.reject(error)
  }
}

/** What a discarded response's body is aborted with, and a wait on its first bytes rejected with. */
export function discardError(): Error {
  return new Error('redress discarded this response to retry the request')
}
