import type { AttemptContext } from '@redress/core'
import { type FirstAttemptCall, type HttpRunSink, ownedPromise } from '@redress/core/adapter'
import type { RedressRequestOptions } from '@redress/core/http'
import type { OneShotBody, PreparedSender } from './attemptSender.ts'
import {
  answerCaller,
  type CallState,
  callerPromise,
  REJECTED,
  RESOLVED,
  RUNNING,
  settleCaller,
} from './callerPromise.ts'
import type { FetchRequest } from './FetchRequest.ts'
import type { FetchSettings } from './FetchSettings.ts'
import { abandonFirst, fetchWithFirstSignal, firstSignal, setDispatcherAbort } from './firstAttemptAbort.ts'
import { fetchThroughDispatcher } from './nodeFetchDispatcher.ts'
import { prepareOneShot } from './prepareOneShot.ts'
import type { ResponseResumer } from './ResponseResumer.ts'
import { releaseResponse } from './releaseResponse.ts'
import { sendAttempt, sendThroughDispatcher } from './sendAttempt.ts'
import { releaseCallerSignal } from './shareCallerSignal.ts'

/** Marks a request whose caller's promise is to be fetch's own, until its first attempt is sent. */
const ANSWERED: Promise<Response> = new Promise<Response>(() => {})

/**
 * One request of `redressFetch`, from the call to the promise it returns: its facts for the
 * shared runner (`FetchRequest`), and the runner's sink (`HttpRunSink`) — it sends the attempts and
 * settles the caller's promise when the run ends. One object per request: the runner reports the
 * first attempt's response to it directly, so a request that succeeds at once costs the caller's
 * promise and one reaction to fetch's, and nothing is wrapped around either — under a policy that
 * cuts no attempt, only that reaction, whose promise is the caller's (see `send`). The caller's
 * promise's settlement (callerPromise.ts), the first attempt's abort (firstAttemptAbort.ts) and a
 * one-shot body's preparation (prepareOneShot.ts) are free functions of it, on its public fields.
 */
export class FetchCall implements FetchRequest, HttpRunSink<Response> {
  readonly method: string
  // Set once a one-shot body is prepared, before the run is made.
  oneShotBody = false
  readonly redress: RedressRequestOptions | undefined
  readonly signal: AbortSignal | undefined
  readonly input: RequestInfo | URL
  readonly init: RequestInit | undefined
  readonly request: Request | undefined
  readonly callerSignal: AbortSignal | undefined
  readonly resumer: ResponseResumer | undefined
  readonly startedAtMs: number | undefined
  readonly #settings: FetchSettings
  // The caller's promise's resolvers, once it is made, until the run ends (callerPromise.ts).
  resolveCaller: ((response: Response) => void) | undefined
  rejectCaller: ((error: unknown) => void) | undefined
  // How the run ended (RUNNING until it does), and with what — kept when it ends before the
  // caller's promise is made (see `send`): the response handed back, or the error.
  ended: CallState = RUNNING
  outcome: unknown
  // The caller's promise when it is fetch's own, followed (see `send`).
  #answered: Promise<Response> | undefined
  // The first attempt's abort once the runner gives up on it: its signal's controller, or the
  // abort of its request through Node's fetch's dispatcher; and whether it was given up on
  // (firstAttemptAbort.ts).
  firstAbort: AbortController | ((reason: unknown) => void) | undefined
  abandoned: { readonly reason: unknown } | undefined
  // How a one-shot body read into memory is sent again (set before the run is made, prepareOneShot.ts).
  prepared: PreparedSender | undefined

  constructor(
    settings: FetchSettings,
    input: RequestInfo | URL,
    init: RequestInit | undefined,
    request: Request | undefined,
    redress: RedressRequestOptions | undefined,
    method: string,
    callerSignal: AbortSignal | undefined,
    signal: AbortSignal | undefined,
    resumer: ResponseResumer | undefined,
  ) {
    this.method = method
    this.redress = redress
    this.signal = signal
    this.input = input
    this.init = init
    this.request = request
    this.callerSignal = callerSignal
    this.resumer = resumer
    // Only a request that may be resumed reads the clock: a download's deadline is counted from here.
    this.startedAtMs = resumer?.startTime()
    this.#settings = settings
  }

  /** The request URL as given (read for the origin's throttle, and when an attempt fails). */
  get url(): string | URL {
    const input = this.input
    return this.request?.url ?? (input instanceof URL ? input : String(input))
  }

  /** The request headers as given: the init's, else the `Request`'s (read only when an attempt fails). */
  get headers(): FetchRequest['headers'] {
    const given = this.init?.headers
    return (given !== undefined ? given : this.request?.headers) as FetchRequest['headers']
  }

  /**
   * Runs the request; the promise settles when the run ends — at once when the runner gives up
   * (the deadline, the caller's abort), even on an attempt whose fetch ignores its abort.
   *
   * When nothing can end the run before fetch answers its first attempt (no deadline nor
   * `attemptTimeoutMs`, no hedging, no caller's signal, no one-shot body), the caller's promise
   * is the one derived from fetch's: a first-try success settles it with no promise of redress's
   * own; after a failure it follows the run's (made then).
   */
  send(oneShot: OneShotBody | undefined): Promise<Response> {
    if (oneShot !== undefined) {
      const promise = ownedPromise<Response>(this)
      prepareOneShot(this, this.#settings, oneShot)
      return promise
    }
    if (this.#perAttempt || this.signal !== undefined) {
      const promise = ownedPromise<Response>(this)
      this.start()
      return promise
    }
    this.#answered = ANSWERED
    this.start()
    const answered = this.#answered
    if (answered !== ANSWERED) return answered
    // first() was not called (a refusal, a failure to start, a run gated by a breaker): the run's
    // own promise — and a first() that came later would send as any other run's does.
    this.#answered = undefined
    return callerPromise(this)
  }

  /** @internal receives the caller's promise's resolvers (from `ownedPromise`). */
  setResolvers(resolve: (response: Response) => void, reject: (error: unknown) => void): void {
    this.resolveCaller = resolve
    this.rejectCaller = reject
  }

  /** Starts the run (at once, or once a one-shot body is prepared). */
  start(): void {
    const { adapter, hooks } = this.#settings
    try {
      adapter.start(adapter.prepare(this, hooks), this)
    } catch (error) {
      this.rejected(error)
    }
  }

  /** True when each attempt needs a way to be aborted of its own (a deadline, a timeout, a hedge). */
  get #perAttempt(): boolean {
    const s = this.#settings
    return s.cutsAttempts || s.adapter.hedging || Boolean(this.redress?.hedge)
  }

  // --- HttpRunSink ---

  /** Sends the first attempt of a quiet run, which reports its outcome to `call`. */
  first(call: FirstAttemptCall): this {
    const s = this.#settings
    if (this.#answered === ANSWERED) {
      // Nothing can end the run before fetch answers (see `send`): the caller's promise is this one.
      this.#answered = Promise.resolve(s.baseFetch(this.input, this.init)).then(
        (response) => {
          if (this.abandoned !== undefined) releaseResponse(response)
          else call.attemptSucceeded(response)
          return answerCaller(this)
        },
        (error: unknown) => {
          if (this.abandoned === undefined) call.attemptFailed(error)
          return answerCaller(this)
        },
      )
      return this
    }
    const prepared = this.prepared
    const sent =
      prepared !== undefined
        ? prepared.send(firstSignal(this))
        : !this.#perAttempt
          ? s.baseFetch(this.input, this.init)
          : s.viaDispatcher
            ? (fetchThroughDispatcher(s.baseFetch, this.input, this.init, this) ??
              fetchWithFirstSignal(this, s.baseFetch))
            : fetchWithFirstSignal(this, s.baseFetch)
    Promise.resolve(sent).then(
      (response) => {
        // Nobody will read the response of an attempt the runner gave up on.
        if (this.abandoned !== undefined) releaseResponse(response)
        else call.attemptSucceeded(response)
      },
      (error: unknown) => {
        if (this.abandoned === undefined) call.attemptFailed(error)
      },
    )
    return this
  }

  /** Sends any other attempt (or every attempt of a run that cannot start quietly). */
  attempt(ctx: AttemptContext): Promise<Response> {
    const s = this.#settings
    const prepared = this.prepared
    if (prepared !== undefined) return prepared.send(ctx.signal)
    if (!this.#perAttempt) return s.baseFetch(this.input, this.init)
    return s.viaDispatcher
      ? sendThroughDispatcher(s.baseFetch, this.input, this.init, ctx)
      : sendAttempt(s.baseFetch, this.input, this.init, ctx)
  }

  /** The runner ended with `response` (a success, or the last response of a run that stopped on one). */
  resolved(response: Response): void {
    if (this.ended !== RUNNING) return
    // Ended before the resumer runs, as the caller's promise may only be settled once.
    this.ended = RESOLVED
    this.#releaseSignal()
    let handed = response
    try {
      // Only a GET's body can be resumed, and only a response with a validator is wrapped for it.
      if (this.resumer !== undefined) handed = this.resumer.resumable(response, this)
    } catch (error) {
      settleCaller(this, REJECTED, error)
      return
    }
    settleCaller(this, RESOLVED, handed)
  }

  /** The runner rejected (the original error, the abort reason, a `CircuitOpenError` …). */
  rejected(error: unknown): void {
    if (this.ended !== RUNNING) return
    this.#releaseSignal()
    settleCaller(this, REJECTED, error)
  }

  /** Ends the request's use of the caller's signal. */
  #releaseSignal(): void {
    const { callerSignal, signal } = this
    if (callerSignal !== undefined && signal !== undefined) releaseCallerSignal(callerSignal, signal)
  }

  // --- the first attempt's abort (Abandonable; and onAbort for Node's fetch's dispatcher) ---

  /** The runner gave up on the first attempt (its timeout, the deadline, the caller's abort): abort it. */
  abandon(reason: unknown): void {
    abandonFirst(this, reason)
  }

  /** How the dispatcher of the first attempt through Node's fetch aborts it (see `setDispatcherAbort`). */
  onAbort(listener: (reason: unknown) => void): void {
    setDispatcherAbort(this, listener)
  }
}
