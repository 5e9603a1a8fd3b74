import { type RetryOutcome, StopReason } from '@redress/core'
import {
  type HttpAdapter,
  type HttpAttemptRequest,
  isOneShotBody,
  type RedressRequestOptions,
  settleHttpOutcome,
} from '@redress/core/http'
import axios, {
  type AxiosAdapter,
  type AxiosInstance,
  type AxiosRequestConfig,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
} from 'axios'
import { CallerCancellation } from './CallerCancellation.ts'
import { releaseAxiosResponse } from './releaseAxiosResponse.ts'
import { requestUrl } from './requestUrl.ts'

/** The adapters that carry a retry of a run in flight: the interceptor lets them through untouched. */
const retryAdapters = new WeakSet<AxiosAdapter>()

/** True when `adapter` carries a retry issued by a redress run, which must not start a run of its own. */
export function isRetryAdapter(adapter: unknown): boolean {
  return typeof adapter === 'function' && retryAdapters.has(adapter as AxiosAdapter)
}

/** What one request's run needs from the installation and from the request as the interceptor saw it. */
export interface RedressAdapterContext {
  /** The instance retries are re-issued through, so every request interceptor runs again. */
  readonly instance: AxiosInstance
  /** The shared HTTP layer: policy and per-request call options. */
  readonly http: HttpAdapter
  /** The request's own `redress` options. */
  readonly perRequest: RedressRequestOptions | undefined
  /** The request's adapter setting (name, list or function) before redress took its place. */
  readonly transport: AxiosRequestConfig['adapter']
  /** The config as the interceptor saw it, before axios transformed its data: what a retry re-issues. */
  readonly snapshot: AxiosRequestConfig
}

/**
 * The axios adapter that runs one request under the policy. Attempt 1 is the request itself,
 * handed to the real transport; each retry is re-issued through the instance (request
 * interceptors run again) with an adapter that hands the transport's raw outcome straight back
 * to this run, so response interceptors and `transformResponse` see only the final outcome,
 * once, in the caller's own chain. The engine owns the loop: classification, sleeps, deadline,
 * budget, breaker and events.
 */
export function redressAdapter(ctx: RedressAdapterContext): AxiosAdapter {
  return async function redressed(config: InternalAxiosRequestConfig): Promise<AxiosResponse> {
    const transport = axios.getAdapter(ctx.transport ?? axios.defaults.adapter, config)
    const url = requestUrl(ctx.instance, config)
    // axios rejects a URL it cannot resolve better than we could explain it: send it as is.
    if (url === undefined) return transport(withTransport({ ...config }, ctx.transport))

    const facts: HttpAttemptRequest = {
      method: (config.method ?? 'get').toUpperCase(),
      url,
      headers: config.headers,
      bodyReplayable: true,
    }
    const cancellation = new CallerCancellation(config.signal, config.cancelToken)

    const send = async (dispatched: InternalAxiosRequestConfig, signal: AbortSignal): Promise<AxiosResponse> => {
      // The transport gets the engine's attempt signal (it aborts on the caller's cancel, the
      // attempt timeout and the deadline); the config the caller later sees keeps its own.
      const attemptConfig = withTransport({ ...dispatched, signal }, ctx.transport)
      if (isOneShotBody(attemptConfig.data)) facts.bodyReplayable = false
      try {
        const response = await transport(attemptConfig)
        // The engine stopped waiting (timeout, deadline, cancel): nobody will read this one.
        if (signal.aborted) releaseAxiosResponse(response)
        return response
      } catch (error: unknown) {
        if (signal.aborted) releaseAxiosResponse((error as { response?: unknown } | null)?.response)
        throw error
      } finally {
        restoreSignal(attemptConfig, dispatched.signal)
      }
    }

    const reissue = (signal: AbortSignal): Promise<AxiosResponse> =>
      new Promise<AxiosResponse>((resolve, reject) => {
        const carry: AxiosAdapter = (dispatched) => {
          send(dispatched, signal).then(resolve, reject)
          // The retry's own chain ends here: its outcome belongs to the run, and the caller's
          // chain gives it to response interceptors once. A promise that never settles holds
          // no timer or socket and is collected with the chain.
          return new Promise<AxiosResponse>(() => {})
        }
        retryAdapters.add(carry)
        // Settles only when the retry failed before reaching the transport (a request
        // interceptor threw, the cancel token had fired): that failure is the attempt's.
        ctx.instance.request<unknown, AxiosResponse>({ ...ctx.snapshot, adapter: carry }).then(resolve, reject)
      })

    try {
      const callOptions = ctx.http.callOptions(facts, ctx.perRequest, {
        signal: cancellation.signal,
        // Called just before a backoff sleep: the response given up on is ours to free.
        beforeSleep: (sleep) => releaseAxiosResponse(sleep.result ?? responseOf(sleep.error)),
      })
      const outcome: RetryOutcome<AxiosResponse> = await ctx.http.policy.execute(
        ({ attempt, signal }) => (attempt === 1 ? send(config, signal) : reissue(signal)),
        callOptions,
      )
      if (outcome.ok) return outcome.value as AxiosResponse
      return handBack(outcome, cancellation, config)
    } finally {
      cancellation.dispose()
    }
  }
}

/**
 * What the caller gets after a failed run — what axios alone would have given it: the last
 * response when a status the caller's `validateStatus` accepts stopped the run, else the last
 * error, the same object (an `AxiosError`, with `response` when there was one); a
 * `CanceledError` when the caller cancelled; a `CircuitOpenError` when the breaker is open.
 */
function handBack(
  outcome: RetryOutcome<AxiosResponse>,
  cancellation: CallerCancellation,
  config: InternalAxiosRequestConfig,
): AxiosResponse {
  if (outcome.stopReason === StopReason.ABORTED && cancellation.signal?.aborted === true) {
    releaseAxiosResponse(outcome.lastResult)
    // axios rejects a cancelled token with its own reason, and an aborted signal with a fresh CanceledError.
    throw cancellation.tokenReason ?? new axios.CanceledError(undefined, config)
  }
  const settled = settleHttpOutcome(outcome)
  if (settled.kind === 'response') return settled.response
  releaseAxiosResponse(outcome.lastResult)
  throw settled.error
}

function responseOf(error: unknown): unknown {
  try {
    return (error as { response?: unknown } | null | undefined)?.response
  } catch {
    return undefined
  }
}

/** Puts the caller's adapter setting back on a config, so an error's `config` can be re-sent as it was. */
function withTransport(
  config: InternalAxiosRequestConfig,
  transport: AxiosRequestConfig['adapter'],
): InternalAxiosRequestConfig {
  if (transport === undefined) delete config.adapter
  else config.adapter = transport
  return config
}

/** Puts the caller's signal back on the config an error or response carries, so re-sending it behaves. */
function restoreSignal(config: InternalAxiosRequestConfig, signal: AxiosRequestConfig['signal']): void {
  if (signal === undefined) delete config.signal
  else config.signal = signal
}
