import type { AttemptContext, SleepContext } from '@redress/core'
import type {
  FirstAttemptCall,
  HttpAdapter,
  HttpRequest,
  HttpRunHooks,
  HttpRunSink,
  Resumer,
} from '@redress/core/adapter'
import type { Dispatcher } from 'undici'
import { AttemptHandler } from './AttemptHandler.ts'
import type { AttemptController, AttemptOwner } from './AttemptOwner.ts'
import { abortError, listenForAbort } from './callerSignal.ts'
import { passInformational } from './informational.ts'
import { type RawHeaders, readRaw } from './RedressController.ts'
import { ResponseForwarder } from './ResponseForwarder.ts'
import type { CallerAbort } from './RunMore.ts'
import { attemptOf, isLive, race } from './racingAttempts.ts'
import { endOnCallerAbort } from './runAbort.ts'
import { endRejected, handOver } from './runEnd.ts'
import { sendAttempt } from './sendAttempt.ts'
import type { UndiciHeaders } from './UndiciHeaders.ts'
import type { UndiciResponseHead } from './UndiciResponseHead.ts'

/**
 * One intercepted request: drives its attempts through the shared HTTP runner
 * (`adapter.start`, with this run as its sink: no promise per request), and is the caller's
 * single point of contact — one `onRequestStart`, one controller (this object), and exactly one
 * ending (`onResponseEnd` or `onResponseError`) — whatever happened on the attempts before. It
 * is also the runner's hooks for this request. What it sends with, the caller's handler and the
 * forwarded response's way to it are its base class's (ResponseForwarder.ts).
 *
 * A success (2xx, 3xx) goes to the caller the moment its head arrives, while the engine records
 * it; the run's own settlement then finds the response already forwarded and does nothing. What
 * happens off that path is in free functions of the run: the end of a run that forwarded nothing
 * (runEnd.ts), the caller's abort (runAbort.ts), hedged attempts (racingAttempts.ts), a 1xx
 * (informational.ts), and the resume of a cut body (resume/resumeCutBody.ts, deliverCounted.ts).
 */
export class RedressRun
  extends ResponseForwarder
  implements AttemptOwner, HttpRunHooks, HttpRunSink<UndiciResponseHead>
{
  readonly #method: string
  // The latest attempt; once a response is forwarded (or handed over), that response's attempt.
  #current: AttemptHandler | undefined
  #callerStarted = false
  #forwarding = false
  #dispatched: boolean | undefined

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
    super(dispatch, opts, handler)
    this.#method = method
  }

  /**
   * Starts the run; returns what the first dispatch returned (undici's back-pressure flag).
   *
   * @param signal the caller's `opts.signal` (an `AbortSignal` or an `EventEmitter`), if any
   * @param resumer given for a GET whose body may be resumed after a cut (see `Resumer`)
   */
  start(adapter: HttpAdapter, request: HttpRequest, signal: unknown, resumer?: Resumer): boolean {
    this.resumer = resumer
    this.startedAtMs = resumer?.startTime()
    const run = adapter.prepare(request, this)
    this.run = run
    if (signal !== undefined && signal !== null) {
      const unlisten = listenForAbort(signal, this)
      if (unlisten !== undefined) this.x.unlistenSignal = unlisten
    }
    // The runner calls back (`first`, `attempt`, `resolved`, `rejected`): no promise per request.
    adapter.start(run, this)
    return this.#dispatched ?? true
  }

  // --- HttpRunHooks: what the runner does with this request's responses ---

  release(response: unknown): void {
    attemptOf(this.#current, this.more?.racing, response)?.discard()
  }

  beforeSleep(_ctx: SleepContext): void {
    // A caller whose only way to abort is the controller (undici's fetch) must have it before
    // the sleep, even when no attempt reached a connection yet.
    this.#callerStart(undefined)
  }

  // --- RedressController: what the caller's controller does (this run is the controller) ---

  protected abortRun(reason: unknown): void {
    if (this.finished) return
    // Once forwarding, the current attempt is the forwarded response's (see takeOver).
    endOnCallerAbort(this, this.x, reason ?? abortError(), this.#forwarding ? this.#current : undefined, this.run)
  }

  protected pausedChanged(): void {
    if (!this.#forwarding || this.finished) return
    const controller = this.upstream
    if (this.paused) controller?.pause()
    else controller?.resume()
  }

  override get rawHeaders(): RawHeaders {
    return readRaw(this.#current?.controller?.rawHeaders)
  }

  override get rawTrailers(): RawHeaders {
    return readRaw(this.upstream?.rawTrailers)
  }

  /** The controller of the body being forwarded: the spliced continuation's, once there is one. */
  get upstream(): AttemptController | undefined {
    return this.more?.continuation?.controller ?? this.#current?.controller
  }

  // --- AttemptOwner: what an attempt reports ---

  attemptStarted(attempt: AttemptHandler, context: unknown): void {
    if (isLive(attempt, this.#current, this.more?.racing)) this.#callerStart(context)
  }

  forwardAtOnce(attempt: AttemptHandler, head: UndiciResponseHead): boolean {
    // With hedged attempts racing, the first success to arrive is the one forwarded (the engine
    // sees it first too); a later one is held for the engine, which releases it.
    if (!isLive(attempt, this.#current, this.more?.racing) || this.finished || this.#forwarding) return false
    if (this.run?.isSuccess(head) !== true || this.takeOver(attempt) !== undefined) return false
    // The caller may have paused already, from its onRequestStart.
    if (this.paused) attempt.controller?.pause()
    return true
  }

  informational(attempt: AttemptHandler, status: number, headers: UndiciHeaders, message: string | undefined): void {
    if (attempt !== this.#current || this.finished || this.#forwarding) return
    this.#callerStart(attempt.context)
    // Not when the caller aborted from its onRequestStart.
    if (this.more?.callerAbort === undefined) passInformational(this, this.handler, status, headers, message)
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
    if (this.run?.hedged === true) race(this.x, attempt)
    this.#current = attempt
    const outcome = attempt.start()
    // onAbort, not ctx.signal: no AbortSignal per attempt.
    ctx.onAbort((reason) => attempt.abandon(reason))
    this.#send(attempt)
    return outcome
  }

  /** Dispatches `attempt` down the chain, unless the caller aborted already (see sendAttempt.ts). */
  #send(attempt: AttemptHandler): void {
    const dispatched = sendAttempt(this.dispatch, this.opts, this.more?.callerAbort, attempt)
    this.#dispatched ??= dispatched
  }

  /** The runner resolved: with a success already forwarded, or with the held response to hand over (runEnd.ts). */
  resolved(response: unknown): void {
    if (!this.#forwarding && !this.finished) {
      handOver(this, attemptOf(this.#current, this.more?.racing, response) ?? this.#current, response)
    }
  }

  /** The runner rejected (an error, the abort reason, a `CircuitOpenError`): see runEnd.ts. */
  rejected(error: unknown): void {
    // A forwarded response ends the request itself, with its own end or error.
    if (!this.#forwarding && !this.finished) endRejected(this, this.#current, this.more?.racing, error)
  }

  /**
   * Makes `attempt`'s response the one the caller receives, the caller started first; returns the
   * caller's abort if it aborted (it may, from its own onRequestStart: undici's fetch with an aborted signal).
   */
  takeOver(attempt: AttemptHandler): CallerAbort | undefined {
    this.#current = attempt
    this.#callerStart(attempt.context)
    const callerAbort = this.more?.callerAbort
    if (callerAbort === undefined) this.#forwarding = true
    return callerAbort
  }

  #callerStart(context: unknown): void {
    if (this.#callerStarted) return
    this.#callerStarted = true
    try {
      this.handler.onRequestStart?.(this, context)
    } catch (error) {
      this.abort(error)
    }
  }
}
