import { safeGet } from '../classify/errorCodes.ts'
import { statusOf } from '../classify/statusOf.ts'
import { isolate } from '../guard/isolate.ts'
import type { Cancellable, DeferredCall } from '../policy/callFinish.ts'
import type { AttemptContext } from '../policy/RetryOptions.ts'
import type { AdmissionThrottle } from '../throttle/AdmissionThrottle.ts'
import type { BuiltCall } from './BuiltCall.ts'
import { type HttpRequest, UNKNOWN_ORIGIN } from './HttpRequest.ts'
import type { HttpRunHooks } from './HttpRunHooks.ts'
import { HttpRunMore } from './HttpRunMore.ts'
import type { HttpRunSettings } from './HttpRunSettings.ts'
import { invalidRequestClassifier } from './invalidRequestClassifier.ts'
import { isIdempotent } from './isIdempotent.ts'
import { operationNameOf } from './operationNameOf.ts'
import { requestClassifiers } from './requestClassifiers.ts'
import { resolveRequestUrl } from './resolveRequestUrl.ts'

/**
 * One request under the shared adapter runner: the engine's deferred call options. On the
 * success path the engine only asks whether a response is a plain success (a 2xx or 3xx status)
 * and credits the origin's budget; everything else — the URL, the operation name, the tags, the
 * request-aware classifiers, the budget lookup, the run's own abort signal — is built by
 * `build()`, once, when an attempt fails.
 */
export class HttpRequestRun implements DeferredCall {
  readonly request: HttpRequest
  readonly #settings: HttpRunSettings
  readonly #hooks: HttpRunHooks
  // What only a failure, an abort or a hedge needs (the URL, the run's signal, responses kept):
  // made when first needed, so a request that succeeds at once carries none of it.
  #more: HttpRunMore | undefined
  #pending: Cancellable | undefined
  // The origin's throttle: undefined until looked up, null when there is none.
  #throttle: AdmissionThrottle | null | undefined
  // Whether the request is hedged: undefined until asked.
  #hedged: boolean | undefined

  constructor(request: HttpRequest, settings: HttpRunSettings, hooks: HttpRunHooks) {
    this.request = request
    this.#settings = settings
    this.#hooks = hooks
  }

  get #x(): HttpRunMore {
    this.#more ??= new HttpRunMore()
    return this.#more
  }

  /** The caller's signal, or the run's own once it was built or aborted. */
  get signal(): AbortSignal | undefined {
    return this.request.signal ?? this.#more?.abort?.signal
  }

  /** The request URL, resolved on first use; `null` when it cannot be made absolute. */
  get url(): URL | null {
    const more = this.#x
    if (more.url === undefined) {
      const { origin } = this.request
      const given = this.request.url
      const url = typeof given === 'function' ? isolate(undefined, given) : given
      if (url === undefined) more.url = null
      else if (origin !== undefined) {
        try {
          more.url = new URL(typeof url === 'string' ? url : String(url), String(origin))
        } catch {
          more.url = null
        }
      } else {
        more.url = url instanceof URL ? url : (resolveRequestUrl(String(url)) ?? null)
      }
    }
    return more.url
  }

  /** The origin used as the budget key (`scheme://host:port`). */
  get origin(): string {
    const origin = this.request.origin
    if (origin !== undefined) return typeof origin === 'string' ? origin : origin.origin
    return this.url?.origin ?? UNKNOWN_ORIGIN
  }

  /**
   * True when the request is hedged: the policy or the request asks for it (`redress.hedge`),
   * and the request is idempotent with a body that can be sent again. Costs two property reads
   * when nothing asks for hedging.
   */
  get hedged(): boolean {
    if (this.#hedged !== undefined) return this.#hedged
    const { request } = this
    const own = request.redress?.hedge
    const asked = own === undefined ? this.#settings.hedge !== undefined : own !== false && own !== null
    this.#hedged = asked && !request.oneShotBody && isIdempotent(request.method, request.headers)
    return this.#hedged
  }

  /**
   * The adapter's attempt, wrapped so that the run keeps every response its attempts produce (or
   * carry in an error's `response`): with hedged attempts in flight, responses arrive that nobody
   * will read — a failure superseded by another, a loser's that came back as the winner won —
   * and each is released when a retry follows or the run ends (see {@link HttpRequestRun.ended}).
   */
  tracked<R>(attempt: (ctx: AttemptContext) => Promise<R>): (ctx: AttemptContext) => Promise<R> {
    return (ctx) =>
      attempt(ctx).then(
        (response) => {
          this.#keep(response)
          return response
        },
        (error: unknown) => {
          this.#keep(safeGet(error, 'response'))
          throw error
        },
      )
  }

  #keep(response: unknown): void {
    if (typeof response !== 'object' || response === null) return
    const more = this.#x
    if (more.ended) {
      this.release(response)
      return
    }
    more.responses ??= []
    more.responses.push(response)
  }

  /** The run ended handing `kept` back (or nothing): every other response its attempts produced is released. */
  ended(kept: unknown): void {
    this.#x.ended = true
    this.#releaseKept(kept)
  }

  #releaseKept(kept: unknown): void {
    const more = this.#more
    const responses = more?.responses
    if (more === undefined || responses === undefined) return
    more.responses = undefined
    for (const response of responses) if (response !== kept) this.release(response)
  }

  /** True when the request's origin has its own breaker, which must admit it before its first attempt. */
  get gated(): boolean {
    return this.#settings.breakerFor !== undefined
  }

  isSuccess(value: unknown): boolean {
    // What the HTTP result classifier accepts without a second look: a 2xx or 3xx status.
    const status = statusOf(value)
    return status !== undefined && status >= 200 && status < 400
  }

  recordSuccess(): void {
    // a broken budget must not break a successful request
    isolate(undefined, this.#settings.creditSuccess, undefined, this)
    const throttle = this.#throttle
    if (throttle) isolate(undefined, throttle.recordSuccess, throttle)
  }

  /**
   * Asks the origin's throttle to admit the first attempt: `undefined` when origins have no
   * throttle of their own (the policy's applies). Never throws; a throwing throttle admits.
   */
  admit(): boolean | undefined {
    const throttle = this.#ownThrottle()
    if (throttle === undefined) return undefined
    return throttle === null || isolate(true, throttle.admit, throttle) !== false
  }

  #ownThrottle(): AdmissionThrottle | null | undefined {
    const lookup = this.#settings.throttleFor
    if (lookup === undefined) return undefined
    if (this.#throttle === undefined) this.#throttle = isolate(undefined, lookup, undefined, this) ?? null
    return this.#throttle
  }

  /** Frees a response nobody will read, through the adapter's hook. Never throws. */
  release(response: unknown): void {
    // releasing is best effort
    isolate(undefined, this.#hooks.release, this.#hooks, response)
  }

  /**
   * Ends the run from outside the engine (undici's controller has no signal of its own): the
   * attempt in flight and any sleep end at once, as with the caller's signal.
   */
  abort(reason: unknown): void {
    const more = this.#x
    if (more.aborted !== undefined) return
    more.aborted = { reason }
    if (more.abort !== undefined) more.abort.abort(reason)
    else this.#pending?.cancel(reason)
  }

  /** The engine's first attempt, cancelled by `abort` until `build` makes the run a signal. */
  attach(call: Cancellable): void {
    this.#pending = call
    const aborted = this.#more?.aborted
    if (aborted !== undefined) call.cancel(aborted.reason)
  }

  build(): BuiltCall {
    const { request } = this
    const settings = this.#settings
    const perRequest = request.redress
    const url = this.url
    const method = request.method.toUpperCase()
    let operation = perRequest?.operation
    if (operation === undefined && url !== null) operation = operationNameOf(settings.namer, method, url)
    const malformed = url === null || this.#hooks.isWellFormed?.(request) === false
    const { classifier, resultClassifier } = requestClassifiers(
      { method, headers: request.headers, bodyReplayable: !request.oneShotBody },
      { retryNonIdempotent: perRequest?.retryNonIdempotent ?? settings.retryNonIdempotent },
    )
    const hooks = this.#hooks
    const call: BuiltCall = {
      operation,
      classifier: malformed ? invalidRequestClassifier(classifier) : classifier,
      resultClassifier,
      tags: { method, host: url?.host ?? 'unknown' },
      beforeSleep: (ctx): void => {
        this.release(ctx.result ?? safeGet(ctx.error, 'response'))
        // A retry follows: no response of the attempts so far will be handed back.
        this.#releaseKept(undefined)
        hooks.beforeSleep?.(ctx)
      },
    }
    if (request.signal !== undefined) call.signal = request.signal
    else {
      // undici's caller aborts through its controller: the run needs a signal of its own now.
      const more = this.#x
      more.abort = new AbortController()
      if (more.aborted !== undefined) more.abort.abort(more.aborted.reason)
      call.signal = more.abort.signal
    }
    if (settings.budgetFor !== undefined) call.budget = settings.budgetFor(this.origin)
    if (settings.breakerFor !== undefined) {
      const breaker = settings.breakerFor(this.origin)
      if (breaker !== undefined) call.circuitBreaker = breaker
    }
    if (settings.maxRetryAfterMs !== undefined) call.maxRetryAfterMs = settings.maxRetryAfterMs
    const throttle = this.#ownThrottle()
    if (throttle) call.throttle = throttle
    if (this.hedged) {
      // The latency quantile is the origin's: requests to one upstream share one history.
      const own = perRequest?.hedge
      call.hedge = own ? { ...own, latencyKey: this.origin } : { latencyKey: this.origin }
    } else if (settings.hedge !== undefined || perRequest?.hedge) call.hedge = null
    return call
  }
}
