/**
 * Releases a response that will never be handed back. With axios's default `responseType`
 * the body is already read and the socket back in the pool, so there is nothing to do; with
 * `responseType: 'stream'` the body is a Node `Readable` (http adapter) or a web
 * `ReadableStream` (fetch adapter) that pins its socket until destroyed or cancelled.
 * Never throws, never waits.
 *
 * @param response an axios response, or an axios error carrying one in `response`
 */
export function releaseAxiosResponse(response: unknown): void {
  try {
    if (typeof response !== 'object' || response === null) return
    const data: unknown = (response as { data?: unknown }).data
    if (typeof data !== 'object' || data === null) return
    const stream = data as { destroy?: unknown; cancel?: unknown; locked?: unknown }
    if (typeof stream.destroy === 'function') {
      ;(stream.destroy as () => void).call(data)
    } else if (typeof stream.cancel === 'function' && stream.locked !== true) {
      const cancelled: unknown = (stream.cancel as () => unknown).call(data)
      if (cancelled instanceof Promise) cancelled.catch(() => {})
    }
  } catch {
    // A response with throwing getters has nothing we can release.
  }
}
