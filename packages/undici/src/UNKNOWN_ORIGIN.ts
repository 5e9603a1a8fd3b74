/**
 * Where a composed `Client` or `Pool` sends requests whose options name no origin (undici 7 adds
 * the dispatcher's own origin below the interceptor, out of its sight). Used only for the
 * `host` tag, the operation name and the per-origin budget; the request itself is untouched.
 */
export const UNKNOWN_ORIGIN: string = 'http://unknown.invalid'
