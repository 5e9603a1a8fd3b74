import { DISCARD_DRAIN_MAX_BYTES } from '@redress/core/adapter'

/** The largest discarded body read to its end rather than cancelled: core's `DISCARD_DRAIN_MAX_BYTES`. */
export const MAX_DRAIN_BYTES: number = DISCARD_DRAIN_MAX_BYTES

/**
 * Releases a response that will never be handed back: its body is drained when it is small
 * (up to {@link MAX_DRAIN_BYTES}), else cancelled. An unread body pins its pooled socket, so a
 * retry loop that forgets this stalls once the pool is full. Never throws, never waits: the
 * draining goes on in the background. A body already read, locked or absent is left alone.
 */
export function releaseResponse(response: unknown): void {
  try {
    if (typeof response !== 'object' || response === null) return
    const { body, bodyUsed, headers } = response as Partial<Response>
    if (bodyUsed === true || typeof body !== 'object' || body === null || body.locked) return
    const length = Number(headers?.get('content-length') ?? Number.NaN)
    if (length > MAX_DRAIN_BYTES) {
      body.cancel().catch(() => {})
      return
    }
    void drain(body.getReader())
  } catch {
    // A response-like value with throwing getters has nothing we can release.
  }
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      total += value.byteLength
      if (total > MAX_DRAIN_BYTES) {
        await reader.cancel()
        return
      }
    }
  } catch {
    // The connection failed while draining: there is no socket left to save.
  }
}
