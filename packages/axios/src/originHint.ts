import type { InternalAxiosRequestConfig } from 'axios'

/**
 * A string starting with the request's origin: its `url` when absolute, else its `baseURL` (as
 * axios's `buildFullPath` does, which also prefixes an absolute `url` with a non-empty `baseURL`
 * under `allowAbsoluteUrls: false`). The per-origin throttle's key on the success path, where
 * `getUri` (which re-merges the whole config) is not called.
 */
export function originHintOf(config: InternalAxiosRequestConfig): string | undefined {
  const { url, baseURL } = config
  if (typeof url === 'string' && isHttpUrl(url) && !(baseURL && config.allowAbsoluteUrls === false)) return url
  return typeof baseURL === 'string' ? baseURL : undefined
}

/**
 * True for `http://…` or `https://…` in any case. The usual lower-case spelling is tested code
 * unit by code unit: on Node 20 each `startsWith` is a builtin call costing more than the test.
 */
function isHttpUrl(url: string): boolean {
  if (
    url.charCodeAt(0) === 0x68 /* h */ &&
    url.charCodeAt(1) === 0x74 /* t */ &&
    url.charCodeAt(2) === 0x74 /* t */ &&
    url.charCodeAt(3) === 0x70 /* p */
  ) {
    const colon = url.charCodeAt(4) === 0x73 /* s */ ? 5 : 4
    if (
      url.charCodeAt(colon) === 0x3a /* : */ &&
      url.charCodeAt(colon + 1) === 0x2f &&
      url.charCodeAt(colon + 2) === 0x2f
    )
      return true
  }
  // 'h' or 'H' first, then the case-insensitive test.
  return (url.charCodeAt(0) | 0x20) === 0x68 && /^https?:\/\//i.test(url)
}
