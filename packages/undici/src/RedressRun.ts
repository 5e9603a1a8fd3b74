import type { AttemptContext, SleepContext } from '@redress/core'
import type {
  FirstAttemptCall,
  HttpAdapter,
  HttpRequest,
  HttpRequestRun,
  HttpRunHooks,
  HttpRunSink,
  ResumableDownload,
  Resumer,
  ResumeTransport,
} from '@redress/core/adapter'
import type { Dispatcher } from 'undici'
import { AttemptHandler } from './AttemptHandler.ts'
import type { AttemptController, AttemptOwner } from './AttemptOwner.ts'
import type { CallerHandler } from './CallerHandler.ts'
import { abortError, listenForAbort } from './callerSignal.ts'
import { endWithError } from './endWithError.ts'
import { type RawHeaders, RedressController, readRaw } from './RedressController.ts'
import { RunMore } from './RunMore.ts'
import { continuationTransport } from './resume/continuationTransport.ts'
import { resumableDownload } from './resume/resumableDownload.ts'
import { resumeCutBody } from './resume/resumeCutBody.ts'
import { rethrowOutside } from './rethrowOutside.ts'
import type { UndiciResponseHead } from './UndiciResponseHead.ts'

/**
 * One intercepted request: drives its attempts through the shared HTTP runner
 * (`adapter.start`, with this run as its sink: no promise per request), and is the caller's
 * single point of contact — one `onRequestStart`, one controller (this object), and exactly one
 * ending (`onResponseEnd` or `onResponseError`) — whatever happened on the attempts before. It
 * is also the runner's hooks for this request.
 *
 * A success (2xx, 3xx) goes to the caller the moment its head arrives, while the engine records
 * it; the run's own settlement then finds the response already forwarded and does nothing. The
 * resume of a cut body is a free function of the run (resume/resumeCutBody.ts).
 */
export class RedressRun
  extends RedressController
  implements AttemptOwner, HttpRunHooks, HttpRunSink<UndiciResponseHead>
{
  readonly #dispatch: Dispatcher.Dispatch
  // Dropped (with the run) once the request finished: a body the caller still holds keeps only this object.
  #opts: Dispatcher.DispatchOptions
  readonly #handler: CallerHandler
  readonly #method: string
  #run: HttpRequestRun | undefined
  // The latest attempt; once a response is forwarded (or handed over), that response's attempt.
  #current: AttemptHandler | undefined
  #callerStarted = false
  #forwarding = false
  /** Set once the caller was told how the request ended: nothing is dispatched, resumed or told after. */
  finished = false
  #dispatched: boolean | undefined
  // Set only for a GET whose request may be resumed; the download only for a resumable response.
  #resumer: Resumer | undefined
  // When the request started, on the policy's clock: a download's deadline is counted from it.
  #startedAtMs: number | undefined
  /** The forwarded response's download, when it may be resumed after a cut (see resume/resumeCutBody.ts). */
  download: ResumableDownload | undefined
  // What only a hedge, a caller's signal, an abort or a cut body needs: made when first needed.
  #more: RunMore | undefined

  /**
   * @param dispatch the next dispatch function in the chain
   * @param opts the options each attempt is dispatched with
   * @param handler the caller's handler (undici hands interceptors the v7 handler shape)
   * @param method the request method, as given
   */
  constructor(
    dispatch: Dispatcher.Dispatch,
    opts: Dispatcher.DispatchOptions,
    handler: Dispatcher.DispatchHandler,
    method: string,
  ) {
    super()
    this.#dispatch = dispatch
    this.#opts = opts
    this.#handler = handler
    this.#method = method
  }

  /**
   * Starts the run; returns what the first dispatch returned (undici's back-pressure flag).
   *
   * @param signal the caller's `opts.signal` (an `AbortSignal` or an `EventEmitter`), if any
   * @param resumer given for a GET whose body may be resumed after a cut (see `Resumer`)
   */
  start(adapter: HttpAdapter, request: HttpRequest, signal: unknown, resumer?: Resumer): boolean {
    this.#resumer = resumer
    this.#startedAtMs = resumer?.startTime()
    const run = adapter.prepare(request, this)
    this.#run = run
    if (signal !== undefined && signal !== null) {
      const unlisten = listenForAbort(signal, this)
      if (unlisten !== undefined) this.#x.unlistenSignal = unlisten
    }
    // The runner calls back (`first`, `attempt`, `resolved`, `rejected`): no promise per request.
    adapter.start(run, this)
    return this.#dispatched ?? true
  }

  get #x(): RunMore {
    this.#more ??= new RunMore()
    return this.#more
  }

  // --- HttpRunHooks: what the runner does with this request's responses ---

  release(response: unknown): void {
    this.#attemptOf(response)?.discard()
  }

  /** The attempt whose response head is `response`: the current one, or (hedging) any other of the run. */
  #attemptOf(response: unknown): AttemptHandler | undefined {
    const current = this.#current
    if (current !== undefined && current.head === response) return current
    return this.#more?.racing?.find((attempt) => attempt.head === response)
  }

  /** True for the current attempt, and (hedging) for every attempt of the run. */
  #live(attempt: AttemptHandler): boolean {
    return attempt === this.#current || this.#more?.racing?.includes(attempt) === true
  }

  beforeSleep(_ctx: SleepContext): void {
    // A caller whose only way to abort is the controller (undici's fetch) must have it before
    // the sleep, even when no attempt reached a connection yet.
    this.#callerStart(undefined)
  }

  // --- RedressController: what the caller's controller does (this run is the controller) ---

  protected abortRun(reason: unknown): void {
    if (this.finished) return
    const error = reason ?? abortError()
    this.#x.callerAbort ??= { reason: error }
    if (this.#more?.resuming === true) {
      // Between a cut and its continuation: the resume in flight ends with the reason.
      this.download?.cancel(error)
    } else if (this.#more?.continuation !== undefined) this.#more.continuation.fail(error)
    else if (this.#forwarding) this.#current?.fail(error)
    else this.#run?.abort(error)
  }

  protected pausedChanged(): void {
    if (!this.#forwarding || this.finished) return
    const controller = this.#upstream
    if (this.paused) controller?.pause()
    else controller?.resume()
  }

  override get rawHeaders(): RawHeaders {
    return readRaw(this.#current?.controller?.rawHeaders)
  }

  override get rawTrailers(): RawHeaders {
    return readRaw(this.#upstream?.rawTrailers)
  }

  /** The controller of the body being forwarded: the spliced continuation's, once there is one. */
  get #upstream(): AttemptController | undefined {
    return this.#more?.continuation?.controller ?? this.#current?.controller
  }

  // --- AttemptOwner: what an attempt reports ---

  attemptStarted(attempt: AttemptHandler, context: unknown): void {
    if (this.#live(attempt)) this.#callerStart(context)
  }

  forwardAtOnce(attempt: AttemptHandler, head: UndiciResponseHead): boolean {
    // With hedged attempts racing, the first success to arrive is the one forwarded (the engine
    // sees it first too); a later one is held for the engine, which releases it.
    if (!this.#live(attempt) || this.finished || this.#forwarding || this.#run?.isSuccess(head) !== true) return false
    this.#current = attempt
    this.#callerStart(attempt.context)
    // The caller may abort from its own onRequestStart (undici's fetch with an aborted signal).
    if (this.#more?.callerAbort !== undefined) return false
    this.#forwarding = true
    // The caller may have paused already, from its onRequestStart.
    if (this.paused) attempt.controller?.pause()
    return true
  }

  informational(
    attempt: AttemptHandler,
    statusCode: number,
    headers: UndiciResponseHead['headers'],
    statusMessage: string | undefined,
  ): void {
    if (attempt !== this.#current || this.finished || this.#forwarding) return
    this.#callerStart(attempt.context)
    if (this.#more?.callerAbort !== undefined) return
    try {
      this.#handler.onResponseStart?.(this, statusCode, headers, statusMessage)
    } catch (error) {
      // undici aborts a request whose handler throws; the run ends with the error, as it would.
      this.abort(error)
    }
  }

  // --- ResponseSink: the forwarded response, as the caller receives it ---

  responseStart(head: UndiciResponseHead): void {
    if (this.#resumer !== undefined) {
      this.download = resumableDownload(this.#resumer, this.#run?.request, head, this.#startedAtMs)
    }
    this.#handler.onResponseStart?.(this, head.statusCode, head.headers, head.statusMessage)
  }

  responseData(chunk: Buffer): void {
    const download = this.download
    if (download !== undefined) {
      // Bytes past the body's last one (a continuation longer than its range) are never delivered.
      const overrun = download.deliver(chunk.length)
      if (overrun !== undefined) {
        this.download = undefined
        this.#upstream?.abort(overrun)
        this.responseError(overrun)
        return
      }
      try {
        this.#handler.onResponseData?.(this, chunk)
      } catch (error) {
        // undici ends a body whose handler throws with that error: not a cut to resume.
        this.download = undefined
        throw error
      }
      return
    }
    this.#handler.onResponseData?.(this, chunk)
  }

  responseEnd(trailers: UndiciResponseHead['headers']): void {
    const short = this.#more?.continuation === undefined ? undefined : this.download?.finish()
    if (short !== undefined) {
      this.responseError(short)
      return
    }
    if (!this.#settle()) return
    this.#handler.onResponseEnd?.(this, trailers)
  }

  responseError(error: unknown): void {
    const download = this.download
    if (
      download !== undefined &&
      this.#more?.callerAbort === undefined &&
      !this.finished &&
      this.#more?.resuming !== true
    ) {
      resumeCutBody(this, this.#x, download, error)
      return
    }
    if (!this.#settle()) return
    endWithError(this.#handler, this, error)
  }

  /** How the continuations of a cut body are sent: down the chain, with the dispatch options as they are then. */
  continuations(): ResumeTransport<AttemptHandler> {
    // FINISHED_OPTS once the run ended: nothing is dispatched after.
    return continuationTransport(this.#dispatch, () => this.#opts)
  }

  // --- HttpRunSink: the runner's side of the run ---

  /** Sends the engine's first attempt of a quiet run, which reports its outcome to `call`. */
  first(call: FirstAttemptCall): AttemptHandler {
    const attempt = new AttemptHandler(this.#method, this, call)
    this.#current = attempt
    this.#send(attempt)
    return attempt
  }

  attempt(ctx: AttemptContext): Promise<UndiciResponseHead> {
    const attempt = new AttemptHandler(this.#method, this)
    // A hedge races the attempts before it: they all stay reachable until the run ends.
    if (this.#run?.hedged === true) {
      const more = this.#x
      more.racing ??= []
      more.racing.push(attempt)
    }
    this.#current = attempt
    const outcome = attempt.start()
    // onAbort, not ctx.signal: no AbortSignal per attempt.
    ctx.onAbort((reason) => attempt.abandon(reason))
    this.#send(attempt)
    return outcome
  }

  /** Dispatches `attempt` down the chain (unless the caller aborted already: nothing is dispatched). */
  #send(attempt: AttemptHandler): void {
    const callerAbort = this.#more?.callerAbort
    if (callerAbort !== undefined) {
      attempt.dispatchFailed(callerAbort.reason)
      return
    }
    try {
      const dispatched = this.#dispatch(this.#opts, attempt)
      this.#dispatched ??= dispatched
    } catch (error) {
      attempt.dispatchFailed(error)
    }
  }

  /** The runner resolved: with a success already forwarded, or with the held response to hand over. */
  resolved(response: unknown): void {
    if (this.#forwarding || this.finished) return
    const attempt = this.#attemptOf(response) ?? this.#current
    try {
      if (attempt?.state === 'held' && attempt.head === response) {
        this.#current = attempt
        this.#callerStart(attempt.context)
        // The caller may abort from its own onRequestStart (an already aborted signal).
        const callerAbort = this.#more?.callerAbort
        if (callerAbort !== undefined) {
          attempt.discard()
          this.responseError(callerAbort.reason)
          return
        }
        this.#forwarding = true
        attempt.forward(this)
        return
      }
      attempt?.discard()
      this.responseError(new Error('redress: the run ended on a response that is no longer available'))
    } catch (error) {
      rethrowOutside(error)
    }
  }

  /** The runner rejected (an error, the abort reason, a `CircuitOpenError`). */
  rejected(error: unknown): void {
    // A forwarded response ends the request itself, with its own end or error.
    if (this.#forwarding || this.finished) return
    try {
      // The response of an attempt abandoned while the engine was deciding.
      this.#current?.discard()
      const racing = this.#more?.racing
      if (racing !== undefined) for (const attempt of racing) attempt.discard()
      this.responseError(error)
    } catch (thrown) {
      rethrowOutside(thrown)
    }
  }

  #callerStart(context: unknown): void {
    if (this.#callerStarted) return
    this.#callerStarted = true
    try {
      this.#handler.onRequestStart?.(this, context)
    } catch (error) {
      this.abort(error)
    }
  }

  #settle(): boolean {
    if (this.finished) return false
    this.finished = true
    const more = this.#more
    if (more?.unlistenSignal !== undefined) {
      more.unlistenSignal()
      more.unlistenSignal = undefined
    }
    // Nothing is dispatched, resumed or asked of the engine from now on.
    this.#opts = FINISHED_OPTS
    this.#run = undefined
    this.#resumer = undefined
    return true
  }
}

/** What a finished run holds instead of the caller's dispatch options. */
const FINISHED_OPTS: Dispatcher.DispatchOptions = Object.freeze({ path: '/', method: 'GET' })
