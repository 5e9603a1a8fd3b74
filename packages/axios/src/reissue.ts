import type { AttemptContext } from '@redress/core'
import type { AxiosAdapter, AxiosInstance, AxiosRequestConfig, AxiosResponse, InternalAxiosRequestConfig } from 'axios'
import { restoreAdapter, transportFor } from './adapterSetting.ts'
import type { RetrySnapshot } from './RetrySnapshot.ts'
import type { ConfigOverrides } from './resumableResponse.ts'
import { sendAttempt } from './sendAttempt.ts'

/** The adapters that carry a retry of a run in flight: the interceptor lets them through untouched. */
const retryAdapters = new WeakSet<AxiosAdapter>()

/** True when `adapter` carries a retry issued by a redress run, which must not start a run of its own. */
export function isRetryAdapter(adapter: unknown): boolean {
  return typeof adapter === 'function' && retryAdapters.has(adapter as AxiosAdapter)
}

/**
 * A retry: the request re-issued through the instance from the first attempt's config, with the
 * data and headers of {@link RetrySnapshot}. Its own chain ends at a carrying adapter that hands
 * the transport's raw outcome to this run.
 *
 * @param transport the request's adapter setting before redress took its place
 * @param overrides config fields a continuation of a resumed download replaces
 */
export function reissue(
  instance: AxiosInstance,
  config: InternalAxiosRequestConfig,
  transport: AxiosRequestConfig['adapter'],
  snapshot: RetrySnapshot,
  ctx: AttemptContext,
  overrides?: ConfigOverrides,
): Promise<AxiosResponse> {
  return new Promise<AxiosResponse>((resolve, reject) => {
    const carry: AxiosAdapter = (dispatched) => {
      restoreAdapter(dispatched, transport)
      try {
        sendAttempt(transportFor(transport, dispatched), dispatched, ctx).then(resolve, reject)
      } catch (error: unknown) {
        reject(error)
      }
      // The retry's own chain ends here: its outcome belongs to the run, and the caller's
      // chain gives it to response interceptors once. A promise that never settles holds
      // no timer or socket and is collected with the chain.
      return new Promise<AxiosResponse>(() => {})
    }
    retryAdapters.add(carry)
    const retry = {
      ...config,
      ...overrides,
      data: snapshot.data,
      // axios merges these into objects of its own: the snapshot is never written to.
      headers: snapshot.headers,
      adapter: carry,
    } as AxiosRequestConfig
    // Settles only when the retry failed before reaching the transport (a request
    // interceptor threw, the cancel token had fired): that failure is the attempt's.
    instance.request<unknown, AxiosResponse>(retry).then(resolve, reject)
  })
}
