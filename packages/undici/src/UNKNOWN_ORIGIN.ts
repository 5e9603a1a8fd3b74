import type { Dispatcher } from 'undici'

/**
 * Where a composed `Client` or `Pool` sends requests whose options name no origin (undici adds
 * the dispatcher's own origin below the interceptor, out of its sight). Used only for the
 * `host` tag, the operation name and the per-origin budget; the request itself is untouched.
 */
export const UNKNOWN_ORIGIN: string = 'http://unknown.invalid'

/** The URL of a dispatch: `origin` + `path`, or {@link UNKNOWN_ORIGIN} when no origin is given. */
export function requestUrl(opts: Pick<Dispatcher.DispatchOptions, 'origin' | 'path'>): URL {
  const origin = opts.origin === undefined || opts.origin === null ? UNKNOWN_ORIGIN : String(opts.origin)
  try {
    return new URL(typeof opts.path === 'string' ? opts.path : '/', origin)
  } catch {
    return new URL(UNKNOWN_ORIGIN)
  }
}
