import type { AxiosInstance, InternalAxiosRequestConfig } from 'axios'

/**
 * The absolute URL axios will request for `config` (base URL, path and params, as
 * `instance.getUri` builds it), or `undefined` when it cannot be made absolute — a relative
 * URL outside a browser, which axios itself will reject.
 */
export function requestUrl(instance: AxiosInstance, config: InternalAxiosRequestConfig): URL | undefined {
  try {
    const uri = instance.getUri(config)
    const base = (globalThis as { location?: { href?: unknown } }).location?.href
    return typeof base === 'string' ? new URL(uri, base) : new URL(uri)
  } catch {
    return undefined
  }
}
