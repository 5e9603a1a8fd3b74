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
