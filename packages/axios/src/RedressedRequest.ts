import type { AttemptContext } from '@redress/core'
import {
  type FirstAttemptCall,
  type HttpRequest,
  type HttpRunHooks,
  type HttpRunSink,
  isOneShotBody,
  ownedPromise,
} from '@redress/core/adapter'
import type { ResumableRequestOptions } from '@redress/core/http'
import type {
  AxiosAdapter,
  AxiosRequestConfig,
  AxiosResponse,
  InternalAxiosRequestConfig,
  RawAxiosRequestHeaders,
} from 'axios'
import type { AdapterAndUrl } from './AdapterAndUrl.ts'
import { AttemptSignal } from './AttemptSignal.ts'
import { restoreAdapter, transportFor } from './adapterSetting.ts'
import { CallerCancellation } from './CallerCancellation.ts'
import type { Installation } from './Installation.ts'
import { originHintOf } from './originHint.ts'
import { copyHeaders, type RetrySnapshot } from './RetrySnapshot.ts'
import { reissue } from './reissue.ts'
import { releaseAxiosResponse } from './releaseAxiosResponse.ts'
import { resumableResponse } from './resumableResponse.ts'
import { sendAttempt, sendWith } from './sendAttempt.ts'

/** What the runner does with the responses it gives up on: one constant object for every request. */
const HOOKS: HttpRunHooks = { release: releaseAxiosResponse }

/**
 * One request redress's interceptor routed through the policy: what a retry needs of it, the
 * adapter axios calls for it, and — once axios has called that adapter — the request's
 * {@link HttpRequest} description and the runner's side of its run ({@link HttpRunSink}). One
 * object per request; its three functions (the adapter, which is also the URL, and the first
 * attempt's two reactions) are made in the constructor so they share one closure context.
 *
 * Attempt 1 is the request itself, handed to the real transport; each retry is re-issued through
 * the instance (request interceptors run again) with an adapter that hands the transport's raw
 * outcome straight back to this run, so response interceptors and `transformResponse` see only
 * the final outcome, once, in the caller's own chain. The engine owns the loop: classification,
 * sleeps, deadline, budget, breaker and events.
 *
 * A first attempt that succeeds costs no URL (`getUri` runs only when an attempt fails), no copy
 * of the config, no `AbortController` and one promise (the one axios gets): the transport's
 * signal is an {@link AttemptSignal} the runner abandons directly, the transport's promise reports
 * to the runner's pending call, and a caller's own `AbortSignal` is handed to the engine as it is.
 */
export class RedressedRequest implements HttpRequest, HttpRunSink<AxiosResponse> {
  /**
   * The request's one function per request, in two roles (see {@link AdapterAndUrl}): the adapter
   * axios calls for this request, and the request URL the runner asks for on the failure path.
   */
  readonly url: AdapterAndUrl
  readonly redress: ResumableRequestOptions | undefined
  /** The caller's signal as the engine takes it: set when axios calls the adapter. */
  signal: AbortSignal | undefined = undefined
  readonly #install: Installation
  /** The request's adapter setting (name, list or function) before redress took its place. */
  readonly #transport: AxiosRequestConfig['adapter']
  /** What a retry re-sends (see {@link RetrySnapshot}). */
  readonly #data: unknown
  readonly #sentHeaders: RawAxiosRequestHeaders
  /** The config axios called the adapter with, and the transport it resolves to. */
  #config: InternalAxiosRequestConfig | undefined = undefined
  #send: AxiosAdapter | undefined = undefined
  /** The caller's cancel token or signal-like object folded into one `AbortSignal`, if it has one. */
  #cancellation: CallerCancellation | undefined = undefined
  /** The runner's pending first attempt, and the reactions that report the transport's outcome to it. */
  #call: FirstAttemptCall | undefined = undefined
  readonly #onFirst: (response: AxiosResponse) => void
  readonly #onFirstError: (error: unknown) => void
  /** The resolvers of the promise axios got. */
  #resolve: ((response: AxiosResponse) => void) | undefined = undefined
  #reject: ((error: unknown) => void) | undefined = undefined
  /** When a request that may be resumed started, on the policy's clock: its download's deadline is counted from it. */
  #startedAtMs: number | undefined = undefined

  /**
   * @param transport the request's adapter setting (its `config.adapter`), which redress replaces
   * @param config the request's config as redress's interceptor sees it, before axios's
   *   `transformRequest` and transport change its `data` and `headers`
   */
  constructor(
    install: Installation,
    perRequest: ResumableRequestOptions | undefined,
    transport: AxiosRequestConfig['adapter'],
    config: InternalAxiosRequestConfig,
  ) {
    this.#install = install
    this.redress = perRequest
    this.#transport = transport
    this.#data = config.data
    this.#sentHeaders = copyHeaders(config.headers)
    // Made here rather than as arrow fields: one closure context for the three, and no function
    // name to define per request (an arrow field is named after its field).
    this.url = ((dispatched?: InternalAxiosRequestConfig) =>
      dispatched === undefined
        ? this.#install.instance.getUri(this.#config)
        : this.#dispatch(dispatched)) as AdapterAndUrl
    this.#onFirst = (response) => this.#call?.attemptSucceeded(response)
    this.#onFirstError = (error) => this.#call?.attemptFailed(error)
  }

  /** The adapter axios calls for this request, in place of the caller's adapter setting. */
  get adapter(): AxiosAdapter {
    return this.url
  }

  #dispatch(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    const transport = this.#transport
    // dispatchRequest resolved the adapter already: put the caller's own setting back, so the
    // `config` of the response or error (and a re-send of it) is the caller's.
    restoreAdapter(config, transport)
    try {
      this.#send = transportFor(transport, config)
    } catch (error: unknown) {
      return Promise.reject(error)
    }
    this.#config = config
    // Only a stream GET may be resumed: only it reads the clock (see Resumer.startTime).
    const { resumer } = this.#install
    if (config.responseType === 'stream' && resumer.allows(this.method, this.redress)) {
      this.#startedAtMs = resumer.startTime()
    }
    const callerSignal = config.signal ?? undefined
    const cancelToken = config.cancelToken ?? undefined
    // The engine takes a real AbortSignal as it is; a cancel token (or a signal-like object) is
    // folded into one through an AbortController.
    const cancellation = CallerCancellation.of(callerSignal, cancelToken)
    this.#cancellation = cancellation
    this.signal = cancellation === undefined ? (callerSignal as AbortSignal | undefined) : cancellation.signal
    const http = this.#install.http
    const result = ownedPromise<AxiosResponse>(this)
    try {
      // The runner calls back: `first` or `attempt`, then `resolved` or `rejected`.
      http.start(http.prepare(this, HOOKS), this)
    } catch (error: unknown) {
      this.rejected(error)
    }
    return result
  }

  /** @internal receives the resolvers of the promise axios gets (from `ownedPromise`). */
  setResolvers(resolve: (response: AxiosResponse) => void, reject: (error: unknown) => void): void {
    this.#resolve = resolve
    this.#reject = reject
  }

  // The other HttpRequest facts are read from the config axios called the adapter with, when the
  // runner asks: on the success path, only the per-origin throttle asks (for the origin hint).

  get method(): string {
    return this.#config?.method ?? 'get'
  }

  get headers(): InternalAxiosRequestConfig['headers'] | undefined {
    return this.#config?.headers
  }

  /** `config.data` is `transformRequest`'s output by now: what the transport sends. */
  get oneShotBody(): boolean {
    return isOneShotBody(this.#config?.data)
  }

  /** The per-origin throttle's key on the success path, without getUri. */
  get originHint(): string | undefined {
    return this.#config === undefined ? undefined : originHintOf(this.#config)
  }

  // --- HttpRunSink: the runner's side of the run ---

  /**
   * Sends the first attempt of a quiet run through the transport; its outcome goes to `call`.
   * The runner abandons the returned signal when it gives up on the attempt (no listener on the
   * call for it).
   */
  first(call: FirstAttemptCall): AttemptSignal {
    this.#call = call
    const signal = new AttemptSignal()
    sendWith(this.#send as AxiosAdapter, this.#config as InternalAxiosRequestConfig, signal).then(
      this.#onFirst,
      this.#onFirstError,
    )
    return signal
  }

  /** Sends any other attempt: the first of a run that cannot start quietly, or a retry. */
  attempt(ctx: AttemptContext): Promise<AxiosResponse> {
    const config = this.#config as InternalAxiosRequestConfig
    if (ctx.attempt === 1) return sendAttempt(this.#send as AxiosAdapter, config, ctx)
    return reissue(this.#install.instance, config, this.#transport, this.#snapshot(), ctx)
  }

  /**
   * The run resolved with the response the caller gets. A caller's cancel rejects the run with the
   * abort reason; axios's dispatchRequest turns that into what axios alone rejects with (the
   * token's reason, or a CanceledError), since the config keeps the caller's own signal and token.
   */
  resolved(response: AxiosResponse): void {
    this.#cancellation?.dispose()
    let result: AxiosResponse
    try {
      result = this.#resumable(response)
    } catch (error: unknown) {
      this.#reject?.(error)
      return
    }
    this.#resolve?.(result)
  }

  rejected(error: unknown): void {
    this.#cancellation?.dispose()
    this.#reject?.(error)
  }

  /** Only a GET's stream body can be resumed, and only a response with a validator is wrapped for it. */
  #resumable(response: AxiosResponse): AxiosResponse {
    // A body that is no object (the string a transport usually hands over) is no stream.
    const data: unknown = response.data
    if (typeof data !== 'object' || data === null) return response
    const config = this.#config
    const install = this.#install
    if (config?.responseType !== 'stream' || !install.resumer.allows(this.method, this.redress)) return response
    return resumableResponse(
      install,
      response,
      config,
      this.redress,
      this.#startedAtMs,
      this.#snapshot(),
      (replay, overrides, ctx) => reissue(install.instance, config, this.#transport, replay, ctx, overrides),
    )
  }

  #snapshot(): RetrySnapshot {
    return { data: this.#data, headers: this.#sentHeaders }
  }
}
