/**
 * The origin redress assumes for a request whose origin it cannot see (a composed undici
 * `Client` or `Pool` adds its own origin below the interceptor, out of its sight; a URL that
 * cannot be parsed). Used only for the `host` tag, the operation name and the per-origin
 * budget; the request itself is untouched.
 */
export const UNKNOWN_ORIGIN: string = 'http://unknown.invalid'
