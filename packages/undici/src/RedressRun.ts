import { type AttemptContext, type RetryOutcome, rejectionOf, type SleepContext } from '@redress/core'
import {
  type HttpAdapter,
  type HttpAttemptRequest,
  type RedressRequestOptions,
  settleHttpOutcome,
} from '@redress/core/http'
import type { Dispatcher } from 'undici'
import { AttemptHandler, type ResponseSink } from './AttemptHandler.ts'
import { type ControlTarget, type RawHeaders, RedressController } from './RedressController.ts'
import type { UndiciResponseHead } from './UndiciResponseHead.ts'

/**
 * The caller's handler as the run calls it. undici types `onResponseError`'s error as an
 * `Error`; the run passes what the engine rejects with (an abort reason may be anything).
 */
interface CallerHandler {
  onRequestStart?(controller: Dispatcher.DispatchController, context: unknown): void
  onResponseStart?(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: UndiciResponseHead['headers'],
    statusMessage?: string,
  ): void
  onResponseData?(controller: Dispatcher.DispatchController, chunk: Buffer): void
  onResponseEnd?(controller: Dispatcher.DispatchController, trailers: UndiciResponseHead['headers']): void
  onResponseError?(controller: Dispatcher.DispatchController, error: unknown): void
}

/** undici accepts an `AbortSignal` or an `EventEmitter` that emits `'abort'` as `opts.signal`. */
interface SignalLike {
  readonly aborted?: unknown
  readonly reason?: unknown
  addEventListener?(type: 'abort', listener: () => void): void
  removeEventListener?(type: 'abort', listener: () => void): void
  on?(type: 'abort', listener: () => void): void
  off?(type: 'abort', listener: () => void): void
}

/**
 * One intercepted request: drives its attempts through the engine (`policy.execute`), and is the
 * caller's single point of contact — one `onRequestStart`, one controller, and exactly one
 * ending (`onResponseEnd` or `onResponseError`) — whatever happened on the attempts before.
 */
export class RedressRun implements ControlTarget, ResponseSink {
  readonly #dispatch: Dispatcher.Dispatch
  readonly #opts: Dispatcher.DispatchOptions
  readonly #handler: CallerHandler
  readonly #request: HttpAttemptRequest
  readonly #oneShotBody: boolean
  readonly #controller: RedressController = new RedressController(this)
  readonly #runAbort: AbortController = new AbortController()
  #current: AttemptHandler | undefined
  #callerStarted = false
  #forwarding = false
  #finished = false
  #unlistenSignal: (() => void) | undefined
  #dispatched: boolean | undefined
  #callerAbort: { readonly reason: unknown } | undefined

  /**
   * @param dispatch the next dispatch function in the chain
   * @param opts the options each attempt is dispatched with
   * @param handler the caller's handler (undici hands interceptors the v7 handler shape)
   * @param request the request's facts the classifiers read; its `bodyReplayable` is updated here
   * @param oneShotBody whether the body is consumed by the first dispatch
   */
  constructor(
    dispatch: Dispatcher.Dispatch,
    opts: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
    request: HttpAttemptRequest,
    oneShotBody: boolean,
  ) {
    this.#dispatch = dispatch
    this.#opts = opts
    this.#handler = handler
    this.#request = request
    this.#oneShotBody = oneShotBody
  }

  /** Starts the run; returns what the first dispatch returned (undici's back-pressure flag). */
  start(adapter: HttpAdapter, perRequest: RedressRequestOptions | undefined, signal: unknown): boolean {
    this.#listen(signal)
    const callOptions = adapter.callOptions(this.#request, perRequest, {
      signal: this.#runAbort.signal,
      beforeSleep: (ctx) => this.#beforeSleep(ctx),
    })
    adapter.policy
      .execute((ctx) => this.#attempt(ctx), callOptions)
      .then(
        (outcome) => this.#end(outcome),
        (error: unknown) => this.responseError(error),
      )
      .catch(rethrowOutside)
    return this.#dispatched ?? true
  }

  // --- ControlTarget: what the caller's controller does ---

  abort(reason: unknown): void {
    if (this.#finished) return
    const error = reason ?? abortError()
    this.#callerAbort ??= { reason: error }
    if (this.#forwarding) this.#current?.fail(error)
    else this.#runAbort.abort(error)
  }

  pausedChanged(): void {
    if (!this.#forwarding || this.#finished) return
    const controller = this.#current?.controller
    if (this.#controller.paused) controller?.pause()
    else controller?.resume()
  }

  get rawHeaders(): RawHeaders {
    return readRaw(this.#current?.controller?.rawHeaders)
  }

  get rawTrailers(): RawHeaders {
    return readRaw(this.#current?.controller?.rawTrailers)
  }

  // --- ResponseSink: the forwarded response, as the caller receives it ---

  get paused(): boolean {
    return this.#controller.paused
  }

  responseStart(head: UndiciResponseHead): void {
    this.#handler.onResponseStart?.(this.#controller, head.statusCode, head.headers, head.statusMessage)
  }

  responseData(chunk: Buffer): void {
    this.#handler.onResponseData?.(this.#controller, chunk)
  }

  responseEnd(trailers: UndiciResponseHead['headers']): void {
    if (!this.#settle()) return
    this.#handler.onResponseEnd?.(this.#controller, trailers)
  }

  responseError(error: unknown): void {
    if (!this.#settle()) return
    this.#handler.onResponseError?.(this.#controller, error)
  }

  // --- the run ---

  #attempt(ctx: AttemptContext): Promise<UndiciResponseHead> {
    return new Promise<UndiciResponseHead>((resolve, reject) => {
      // onAbort, not ctx.signal: no AbortController per attempt on the success path.
      let stopListening = (): void => {}
      const attempt = new AttemptHandler(this.#request.method, {
        started: (started, context) => this.#callerStart(started === this.#current ? context : undefined),
        resolve: (head) => {
          stopListening()
          resolve(head)
        },
        reject: (error) => {
          stopListening()
          reject(error)
        },
      })
      stopListening = ctx.onAbort((reason) => attempt.abandon(reason))
      this.#current = attempt
      try {
        const dispatched = this.#dispatch(this.#opts, attempt)
        this.#dispatched ??= dispatched
      } catch (error) {
        stopListening()
        reject(error)
      }
      // A stream, iterable or FormData body was handed to the transport: it cannot be sent again.
      if (this.#oneShotBody) this.#request.bodyReplayable = false
    })
  }

  #beforeSleep(ctx: SleepContext): void {
    if (ctx.result !== undefined && this.#current?.head === ctx.result) this.#current.discard()
    // A caller whose only way to abort is the controller (undici's fetch) must have it before
    // the sleep, even when no attempt reached a connection yet.
    this.#callerStart(undefined)
  }

  #callerStart(context: unknown): void {
    if (this.#callerStarted) return
    this.#callerStarted = true
    try {
      this.#handler.onRequestStart?.(this.#controller, context)
    } catch (error) {
      this.#controller.abort(error)
    }
  }

  #end(outcome: RetryOutcome<UndiciResponseHead>): void {
    const attempt = this.#current
    const settled = settleHttpOutcome(outcome)
    if (settled.kind === 'response' && attempt?.held && attempt.head === settled.response) {
      this.#callerStart(attempt.context)
      // The caller may abort from its own onRequestStart (an already aborted signal).
      if (this.#callerAbort !== undefined) {
        attempt.discard()
        this.responseError(this.#callerAbort.reason)
        return
      }
      this.#forwarding = true
      attempt.forward(this)
      return
    }
    attempt?.discard()
    this.responseError(settled.kind === 'error' ? settled.error : rejectionOf(outcome))
  }

  #settle(): boolean {
    if (this.#finished) return false
    this.#finished = true
    this.#unlistenSignal?.()
    this.#unlistenSignal = undefined
    return true
  }

  #listen(value: unknown): void {
    if (typeof value !== 'object' || value === null) return
    const signal = value as SignalLike
    const onAbort = (): void => this.#controller.abort(signal.reason ?? abortError())
    if (signal.aborted === true) {
      onAbort()
      return
    }
    if (typeof signal.addEventListener === 'function') {
      signal.addEventListener('abort', onAbort)
      this.#unlistenSignal = () => signal.removeEventListener?.('abort', onAbort)
    } else if (typeof signal.on === 'function') {
      signal.on('abort', onAbort)
      this.#unlistenSignal = () => signal.off?.('abort', onAbort)
    }
  }
}

function abortError(): DOMException {
  return new DOMException('This operation was aborted', 'AbortError')
}

function readRaw(value: unknown): RawHeaders {
  return Array.isArray(value) || (typeof value === 'object' && value !== null)
    ? (value as NonNullable<RawHeaders>)
    : null
}

function rethrowOutside(error: unknown): void {
  // An exception from the caller's own handler must surface as undici's would, not vanish into
  // a promise nobody awaits.
  queueMicrotask(() => {
    throw error
  })
}
