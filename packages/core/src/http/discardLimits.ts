/**
 * The largest body, in bytes, of a discarded response (one the engine retries) that an
 * adapter reads to the end so its keep-alive socket returns to the pool. A larger body —
 * by `Content-Length`, or by bytes counted when the length is unknown — is cancelled
 * instead: draining megabytes of an error page costs more than a new connection, and an
 * unread body must never pin a pooled socket through the backoff.
 *
 * @default 65536
 */
export const DISCARD_DRAIN_MAX_BYTES: number = 64 * 1024

/**
 * The longest time, in milliseconds, an adapter spends draining a discarded response's body
 * (the time bound beside {@link DISCARD_DRAIN_MAX_BYTES}'s byte bound). A body still arriving
 * when it runs out is cancelled or destroyed, which closes its socket: a server that trickles
 * an error page (a byte every 50 ms stays under any byte bound for minutes) must not hold a
 * pooled connection through the backoff, or — in a full pool — the retry waits behind it until
 * the deadline. Draining exists to save a new connection, so it is only worth a fraction of the
 * time a new connection takes (OkHttp discards an unread body on the same 100 ms,
 * `DISCARD_STREAM_TIMEOUT_MILLIS`).
 *
 * Real time, not the policy's clock: it bounds a socket, not the engine's schedule. The timer
 * is started only when a discarded body is still arriving, and cleared when the drain ends.
 *
 * @default 100
 */
export const DISCARD_DRAIN_MAX_MS: number = 100
