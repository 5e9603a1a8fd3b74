/**
 * The sync defaults shared by `RedisRetryBudget` and `RedisCircuitBreaker`.
 *
 * - `syncIntervalMs` 100: a process learns what the rest of the fleet did within about one
 *   interval (plus a Redis round trip); each object in use makes 10 script calls per second.
 * - `syncTimeoutMs` 500: a sync unanswered for this long counts as Redis being unavailable.
 * - `reconnectIntervalMs` 1 000: while Redis is unavailable, one sync is tried this often.
 * - `keyTtlMs` 600 000: a key no process has synced for 10 minutes expires (a bucket then
 *   starts full again, a breaker closed).
 */
export const REDIS_SYNC_DEFAULTS: {
  /** Between the answer to one sync and the next sync, in ms. */
  readonly syncIntervalMs: 100
  /** A sync unanswered this long (ms) counts as Redis being unavailable. */
  readonly syncTimeoutMs: 500
  /** While Redis is unavailable, one sync is tried this often (ms). */
  readonly reconnectIntervalMs: 1_000
  /** Time to live of the keys, refreshed by every sync (ms). */
  readonly keyTtlMs: 600_000
} = Object.freeze({ syncIntervalMs: 100, syncTimeoutMs: 500, reconnectIntervalMs: 1_000, keyTtlMs: 600_000 } as const)
