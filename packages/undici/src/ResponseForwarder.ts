import type { HttpRequestRun, ResumableDownload, Resumer, ResumeTransport } from '@redress/core/adapter'
import type { Dispatcher } from 'undici'
import type { AttemptHandler } from './AttemptHandler.ts'
import type { ResponseSink } from './AttemptOwner.ts'
import type { CallerHandler } from './CallerHandler.ts'
import { endWithError } from './endWithError.ts'
import { RedressController } from './RedressController.ts'
import type { RedressRun } from './RedressRun.ts'
import { RunMore } from './RunMore.ts'
import { continuationTransport } from './resume/continuationTransport.ts'
import { deliverCounted } from './resume/deliverCounted.ts'
import { resumableDownload } from './resume/resumableDownload.ts'
import { resumeCutBody } from './resume/resumeCutBody.ts'
import type { UndiciHeaders } from './UndiciHeaders.ts'
import type { UndiciResponseHead } from './UndiciResponseHead.ts'

/**
 * The caller's side of an intercepted request, which `RedressRun` extends: what the request is
 * sent with (the next dispatch and its options), the caller's handler, and the forwarded response
 * on its way to that handler — its head, its body (counted when it may be resumed after a cut,
 * and resumed then), and exactly one ending, after which nothing is dispatched or told. A
 * method that hands the run to a free function of it (resume/) runs on the whole `RedressRun`.
 */
export abstract class ResponseForwarder extends RedressController implements ResponseSink {
  protected readonly dispatch: Dispatcher.Dispatch
  // Dropped (with the run) once the request finished: a body the caller still holds keeps only this object.
  protected opts: Dispatcher.DispatchOptions
  protected readonly handler: CallerHandler
  protected run: HttpRequestRun | undefined
  /** Set once the caller was told how the request ended: nothing is dispatched, resumed or told after. */
  finished = false
  // Set only for a GET whose request may be resumed; the download only for a resumable response.
  protected resumer: Resumer | undefined
  // When the request started, on the policy's clock: a download's deadline is counted from it.
  protected startedAtMs: number | undefined
  /** The forwarded response's download, when it may be resumed after a cut (see resume/resumeCutBody.ts). */
  download: ResumableDownload | undefined
  // What only a hedge, a caller's signal, an abort or a cut body needs: made when first needed.
  protected more: RunMore | undefined

  /**
   * @param dispatch the next dispatch function in the chain
   * @param opts the options each attempt is dispatched with
   * @param handler the caller's handler (undici hands interceptors the v7 handler shape)
   */
  constructor(dispatch: Dispatcher.Dispatch, opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler) {
    super()
    this.dispatch = dispatch
    this.opts = opts
    this.handler = handler
  }

  protected get x(): RunMore {
    this.more ??= new RunMore()
    return this.more
  }

  responseStart(head: UndiciResponseHead): void {
    if (this.resumer !== undefined) {
      this.download = resumableDownload(this.resumer, this.run?.request, head, this.startedAtMs)
    }
    this.handler.onResponseStart?.(this, head.statusCode, head.headers, head.statusMessage)
  }

  responseData(this: RedressRun, chunk: Buffer): void {
    const download = this.download
    if (download !== undefined) deliverCounted(this, this.handler, download, chunk)
    else this.handler.onResponseData?.(this, chunk)
  }

  responseEnd(this: RedressRun, trailers: UndiciHeaders): void {
    const short = this.more?.continuation === undefined ? undefined : this.download?.finish()
    if (short !== undefined) {
      this.responseError(short)
      return
    }
    if (!this.settle()) return
    this.handler.onResponseEnd?.(this, trailers)
  }

  responseError(this: RedressRun, error: unknown): void {
    const download = this.download
    // A body that may be resumed goes on after a cut (resume/resumeCutBody.ts).
    if (download !== undefined && resumeCutBody(this, this.x, download, error)) return
    if (!this.settle()) return
    endWithError(this.handler, this, error)
  }

  /** How the continuations of a cut body are sent: down the chain, with the dispatch options as they are then. */
  continuations(): ResumeTransport<AttemptHandler> {
    // FINISHED_OPTS once the run ended: nothing is dispatched after.
    return continuationTransport(this.dispatch, () => this.opts)
  }

  /** Marks the request finished, once: false when it already was. */
  protected settle(): boolean {
    if (this.finished) return false
    this.finished = true
    const more = this.more
    if (more?.unlistenSignal !== undefined) {
      more.unlistenSignal()
      more.unlistenSignal = undefined
    }
    // Nothing is dispatched, resumed or asked of the engine from now on.
    this.opts = FINISHED_OPTS
    this.run = undefined
    this.resumer = undefined
    return true
  }
}

/** What a finished run holds instead of the caller's dispatch options. */
const FINISHED_OPTS: Dispatcher.DispatchOptions = Object.freeze({ path: '/', method: 'GET' })
