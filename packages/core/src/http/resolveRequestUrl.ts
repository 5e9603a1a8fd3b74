/**
 * The absolute URL of a request: `url` as is when absolute, resolved against the page's
 * `location` in a browser, or `undefined` when it cannot be made absolute (a relative URL
 * outside a browser, which the HTTP client will itself reject). Never throws.
 */
export function resolveRequestUrl(url: string): URL | undefined {
  const base = (globalThis as { location?: { href?: unknown } }).location?.href
  try {
    return new URL(url, typeof base === 'string' ? base : undefined)
  } catch {
    return undefined
  }
}
