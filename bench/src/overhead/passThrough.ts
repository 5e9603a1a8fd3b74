import type { AxiosInstance } from 'axios'
import type { Dispatcher } from 'undici'

// The do-nothing layer of each client: what being installed costs before any middleware
// does any work. The pass-through rows are measured with these, so "above the
// pass-through" is the middleware's own work, not the client's price for having a layer.

/** An undici interceptor that forwards every dispatch untouched (`agent.compose(passThroughInterceptor)`). */
export const passThroughInterceptor: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) =>
  dispatch(opts, handler)

/** A `fetch` that calls `base` with the same arguments and returns its promise. */
export function passThroughFetch(base: typeof fetch): typeof fetch {
  return (input, init) => base(input, init)
}

/** Adds one synchronous request interceptor that returns the config unchanged. */
export function installPassThrough(instance: AxiosInstance): void {
  instance.interceptors.request.use((config) => config, undefined, { synchronous: true })
}
