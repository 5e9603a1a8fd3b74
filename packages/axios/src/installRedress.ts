import {
  createHttpAdapter,
  describeValue,
  Resumer,
  readRequestOptions,
  readResumeOption,
  withoutResume,
} from '@redress/core/adapter'
import axios, { type AxiosInstance, type InternalAxiosRequestConfig } from 'axios'
import type { Installation } from './Installation.ts'
import type { InstallRedressOptions } from './InstallRedressOptions.ts'
import { RedressedRequest } from './RedressedRequest.ts'
import { isRetryAdapter } from './reissue.ts'

const OWNER = 'installRedress'

/** The eject function of each instance redress is installed on. */
const installs = new WeakMap<AxiosInstance, () => void>()

/**
 * Installs redress on an axios instance (or on the default `axios`): one request interceptor
 * that runs every request under the policy, classifying its outcomes through
 * `@redress/core/http` (status table, `Retry-After`/RateLimit headers, network error codes,
 * idempotency, one-shot bodies). Retries are re-issued through the same instance, so request
 * interceptors run again on each attempt; response interceptors see the final outcome once.
 * After the last attempt the caller gets what axios would have given it: the final response,
 * or the original `AxiosError` (same object, with `response`).
 *
 * Installing again on an instance that already has redress does nothing and returns the same
 * eject function: the first installation's options stay in force (eject first to change them).
 *
 * @param instance the axios instance. @default the default `axios` instance
 * @param options shared adapter options, validated now (see `InstallRedressOptions`)
 * @returns a function that removes the interceptor; calling it again does nothing
 * @throws {TypeError | RangeError} for a bad instance or option, naming it and its value
 *
 * @example
 * const api = axios.create({ baseURL: 'https://api.example.com' })
 * const eject = installRedress(api, { policy: httpPolicy({ maxAttempts: 4 }) })
 */
export function installRedress(instance: AxiosInstance = axios, options?: InstallRedressOptions): () => void {
  if (!isAxiosInstance(instance)) {
    throw new TypeError(
      `${OWNER}(instance): instance must be an axios instance (axios or axios.create()), got ${describeValue(instance)}`,
    )
  }
  const installed = installs.get(instance)
  if (installed !== undefined) return installed
  // `resume` is this adapter's; the runner checks the rest (and that options is an object).
  const http = createHttpAdapter(withoutResume(options), OWNER)
  const install: Installation = { instance, http, resumer: new Resumer(http, options, OWNER) }
  const id = instance.interceptors.request.use((config) => routeThroughRedress(config, install), undefined, {
    synchronous: true,
  })
  let ejected = false
  const eject = (): void => {
    if (ejected) return
    ejected = true
    instance.interceptors.request.eject(id)
    installs.delete(instance)
  }
  installs.set(instance, eject)
  return eject
}

/**
 * The interceptor: hands the request to a redress adapter that runs it under the policy. It
 * never throws (axios would swallow a throw from a synchronous interceptor): a bad `redress`
 * option makes the request reject with the `TypeError` instead.
 *
 * All it keeps of the request is what axios changes in place before a failure could show that
 * a retry needs it — a reference to `data` and a plain copy of the headers (see `RetrySnapshot`);
 * the rest of the config is read when a retry is made.
 */
function routeThroughRedress(config: InternalAxiosRequestConfig, install: Installation): InternalAxiosRequestConfig {
  const transport = config.adapter
  // A retry issued by a run in flight: the run owns it.
  if (isRetryAdapter(transport)) return config
  let perRequest: ReturnType<typeof readRequestOptions>
  try {
    perRequest = readRequestOptions(config.redress, OWNER)
    readResumeOption(perRequest, OWNER)
  } catch (error: unknown) {
    config.adapter = () => Promise.reject(error)
    return config
  }
  if (perRequest?.retry === false) return config
  config.adapter = new RedressedRequest(install, perRequest, transport, config).adapter
  return config
}

function isAxiosInstance(value: unknown): value is AxiosInstance {
  if (typeof value !== 'function' && (typeof value !== 'object' || value === null)) return false
  const candidate = value as Partial<AxiosInstance>
  return (
    typeof candidate.request === 'function' &&
    typeof candidate.getUri === 'function' &&
    typeof candidate.interceptors?.request?.use === 'function'
  )
}
