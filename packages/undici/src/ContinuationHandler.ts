import type { AttemptContext } from '@redress/core'
import type { Dispatcher } from 'undici'
import { ATTEMPT_BRAND, type AttemptController } from './AttemptHandler.ts'
import type { UndiciResponseHead } from './UndiciResponseHead.ts'

type Headers = UndiciResponseHead['headers']

/** Where a spliced continuation's body goes: the run, which hands it to the caller. */
export interface ContinuationSink {
  /** Whether the caller paused the body. */
  readonly paused: boolean
  responseData(chunk: Buffer): void
  responseEnd(trailers: Headers): void
  responseError(error: unknown): void
}

type State = 'pending' | 'head' | 'reading' | 'held' | 'forwarding' | 'closed'

/**
 * undici's handler for ONE continuation of a cut body (a `Range` request). It reports the
 * response head to the download ({@link ContinuationHandler.response}), which checks it; then
 * reads until the first bytes arrive ({@link ContinuationHandler.firstBytes}) and holds them,
 * paused, until the run splices it in ({@link ContinuationHandler.forward}) — or releases it
 * ({@link ContinuationHandler.release}: the request is aborted, which closes its connection).
 */
export class ContinuationHandler implements Dispatcher.DispatchHandler {
  readonly head: UndiciResponseHead | undefined = undefined
  #state: State = 'pending'
  #controller: AttemptController | undefined
  #abortReason: { readonly reason: unknown } | undefined
  #chunks: Buffer[] = []
  #trailers: Headers | undefined
  #error: { readonly error: unknown } | undefined
  #sink: ContinuationSink | undefined
  #settle: { resolve: (value: ContinuationHandler) => void; reject: (error: unknown) => void } | undefined
  #progress: { resolve: () => void; reject: (error: unknown) => void } | undefined

  /** The response head, once it arrived; rejects with the error before it. */
  readonly response: Promise<ContinuationHandler>

  constructor(ctx: AttemptContext) {
    this.response = new Promise<ContinuationHandler>((resolve, reject) => {
      this.#settle = { resolve, reject }
    })
    ctx.onAbort((reason) => this.#abandon(reason))
  }

  /** undici's controller of the continuation, once the request reached a connection. */
  get controller(): AttemptController | undefined {
    return this.#controller
  }

  onRequestStart(controller: AttemptController, _context: unknown): void {
    this.#controller = controller
    if (this.#abortReason !== undefined) controller.abort(this.#abortReason.reason)
  }

  onResponseStart(controller: AttemptController, statusCode: number, headers: Headers, statusMessage?: string): void {
    this.#controller = controller
    // RFC 9110 §15.2: a 1xx is interim; the continuation's own response follows.
    if (this.#state !== 'pending' || statusCode < 200) return
    ;(this as { head: UndiciResponseHead }).head = {
      statusCode,
      status: statusCode,
      headers,
      statusMessage,
    }
    // Nothing is read until the download has checked the head.
    controller.pause()
    this.#state = 'head'
    this.#settle?.resolve(this)
  }

  onResponseData(_controller: AttemptController, chunk: Buffer): void {
    if (this.#state === 'forwarding') {
      this.#sink?.responseData(chunk)
      return
    }
    if (this.#state === 'closed') return
    this.#chunks.push(chunk)
    if (this.#state === 'reading') this.#madeProgress()
  }

  onResponseEnd(_controller: AttemptController, trailers: Headers): void {
    if (this.#state === 'forwarding') {
      this.#state = 'closed'
      this.#sink?.responseEnd(trailers)
      return
    }
    this.#trailers = trailers
    if (this.#state === 'reading') this.#madeProgress()
  }

  onResponseError(_controller: AttemptController, error: Error): void {
    switch (this.#state) {
      case 'pending':
        this.#state = 'closed'
        this.#settle?.reject(error)
        return
      case 'forwarding':
        this.#state = 'closed'
        this.#sink?.responseError(error)
        return
      case 'reading':
        this.#state = 'closed'
        this.#progress?.reject(error)
        return
      default:
        this.#error = { error }
    }
  }

  /** Resolves once the body's first bytes (or its end) arrived; rejects with its error. */
  firstBytes(): Promise<void> {
    if (this.#state !== 'head') return Promise.reject(new Error('redress: the continuation is not readable'))
    if (this.#error !== undefined) return Promise.reject(this.#error.error)
    if (this.#chunks.length > 0 || this.#trailers !== undefined) {
      this.#state = 'held'
      return Promise.resolve()
    }
    this.#state = 'reading'
    return new Promise<void>((resolve, reject) => {
      this.#progress = { resolve, reject }
      this.#controller?.resume()
    })
  }

  /** Splices the continuation in: the bytes held so far, then the live body, into `sink`. */
  forward(sink: ContinuationSink): void {
    if (this.#state !== 'held') return
    this.#state = 'forwarding'
    this.#sink = sink
    const chunks = this.#chunks
    this.#chunks = []
    for (const chunk of chunks) {
      if (this.#state !== 'forwarding') return
      sink.responseData(chunk)
    }
    if (this.#state !== 'forwarding') return
    if (this.#error !== undefined) {
      this.#state = 'closed'
      sink.responseError(this.#error.error)
    } else if (this.#trailers !== undefined) {
      this.#state = 'closed'
      sink.responseEnd(this.#trailers)
    } else if (!sink.paused) {
      this.#controller?.resume()
    }
  }

  /** Ends a spliced continuation with `error` (the caller aborted): aborts its request, whose error then reaches the sink. */
  fail(error: unknown): void {
    if (this.#state !== 'forwarding') return
    if (this.#controller === undefined || this.#trailers !== undefined || this.#error !== undefined) {
      this.#state = 'closed'
      this.#sink?.responseError(error)
      return
    }
    this.#controller.abort(error)
  }

  /** Frees a continuation nobody will read: its request is aborted, which closes its connection. */
  release(): void {
    if (this.#state === 'forwarding' || this.#state === 'closed') return
    const ended = this.#trailers !== undefined || this.#error !== undefined
    this.#state = 'closed'
    this.#chunks = []
    if (!ended) this.#controller?.abort(releaseError())
  }

  /** The engine gave up on this attempt (timeout, deadline, abort): abort the request, now or when it starts. */
  #abandon(reason: unknown): void {
    if (this.#state === 'forwarding' || this.#state === 'closed' || this.#abortReason !== undefined) return
    this.#abortReason = { reason }
    this.#controller?.abort(reason)
  }

  #madeProgress(): void {
    this.#state = 'held'
    this.#controller?.pause()
    this.#progress?.resolve()
  }
}

Object.defineProperty(ContinuationHandler.prototype, ATTEMPT_BRAND, { value: true })

function releaseError(): Error {
  return new Error('redress released this continuation of a cut body')
}
