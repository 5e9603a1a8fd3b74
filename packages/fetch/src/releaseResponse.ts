import { DISCARD_DRAIN_MAX_BYTES, DISCARD_DRAIN_MAX_MS } from '@redress/core/adapter'

/** The largest discarded body read to its end rather than cancelled: core's `DISCARD_DRAIN_MAX_BYTES`. */
export const MAX_DRAIN_BYTES: number = DISCARD_DRAIN_MAX_BYTES

/** The longest a discarded body is read, in ms, before it is cancelled: core's `DISCARD_DRAIN_MAX_MS`. */
export const MAX_DRAIN_MS: number = DISCARD_DRAIN_MAX_MS

/**
 * Releases a response that will never be handed back: its body is drained when it is small
 * (up to {@link MAX_DRAIN_BYTES}) and quick (within {@link MAX_DRAIN_MS}), else cancelled. An
 * unread body pins its pooled socket, so a retry loop that forgets this stalls once the pool is
 * full. Never throws, never waits: the draining goes on in the background. A body already read,
 * locked or absent is left alone.
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
  // A body that trickles (a byte every 50 ms stays under any byte bound for minutes) must not
  // hold its connection through the backoff: in a full pool the retry would wait behind it.
  // Cancelling settles the pending read as done, which ends the loop below.
  const cancel = (): void => {
    reader.cancel().catch(() => {})
  }
  // The global is read here, not at import, so that fake timers apply.
  const timer = globalThis.setTimeout(cancel, MAX_DRAIN_MS)
  // The socket being drained keeps the process alive if anything should; the timer need not.
  ;(timer as { unref?: () => void }).unref?.()
  let total = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      total += value.byteLength
      if (total > MAX_DRAIN_BYTES) {
        cancel()
        return
      }
    }
  } catch {
    // The connection failed while draining: there is no socket left to save.
  } finally {
    globalThis.clearTimeout(timer)
  }
}
