import { resolveRequestUrl } from '@redress/core/http'
import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios'

/**
 * The absolute URL axios will request for `config` (base URL, path and params, as
 * `instance.getUri` builds it), or `undefined` when it cannot be made absolute — a relative
 * URL outside a browser, which axios itself will reject.
 */
export function requestUrl(instance: AxiosInstance, config: InternalAxiosRequestConfig): URL | undefined {
  try {
    return resolveRequestUrl(instance.getUri(config))
  } catch {
    // getUri runs the config's paramsSerializer, which may throw
    return undefined
  }
}
