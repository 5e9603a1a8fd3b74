import { DISCARD_DRAIN_MAX_BYTES, DISCARD_DRAIN_MAX_MS } from '@redress/core/adapter'

/**
 * The largest body, in bytes, of a retried response that is read and thrown away so its
 * keep-alive connection goes back to the pool; a larger one is aborted. The value is
 * `@redress/core/adapter`'s `DISCARD_DRAIN_MAX_BYTES`, shared by every adapter.
 *
 * @default 65536
 */
export const DISCARD_DUMP_MAX_BYTES: number = DISCARD_DRAIN_MAX_BYTES

/**
 * The longest time, in milliseconds, a retried response's body is read and thrown away; one
 * still arriving then (a server trickling its error page) is aborted, which closes its socket,
 * so a `Pool` slot is never held through the backoff — nor the retry kept waiting behind it
 * until the deadline. Real time, not the policy's clock. The value is `@redress/core/adapter`'s
 * `DISCARD_DRAIN_MAX_MS`, shared by every adapter.
 *
 * @default 100
 */
export const DISCARD_DUMP_MAX_MS: number = DISCARD_DRAIN_MAX_MS
