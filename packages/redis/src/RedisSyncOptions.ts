import type { RedisClientLike } from './RedisClientLike.ts'
import type { RedisSyncLogHook } from './RedisSyncLog.ts'

/** The options `RedisRetryBudget` and `RedisCircuitBreaker` share: the client and how to sync. */
export interface RedisSyncOptions {
  /** Your ioredis or node-redis client, connected (or connecting). It is never closed for you. */
  readonly client: RedisClientLike
  /**
   * How often each object in use syncs with Redis, in milliseconds: the longest a process
   * decides on a view of the fleet older than this (plus a round trip). Finite and > 0.
   * @default 100
   */
  readonly syncIntervalMs?: number | undefined
  /**
   * A sync unanswered after this many milliseconds counts as Redis being unavailable (the
   * process carries on on local state). No other sync is sent until that one is answered or
   * fails, so a frozen Redis never has more than one command per object waiting in the client.
   * Finite and > 0.
   * @default 500
   */
  readonly syncTimeoutMs?: number | undefined
  /**
   * While Redis is unavailable, one sync is tried this often, in milliseconds. Finite and > 0.
   * @default 1_000
   */
  readonly reconnectIntervalMs?: number | undefined
  /**
   * The time to live of the Redis keys, refreshed by every sync, in milliseconds: a key nobody
   * has synced for this long expires (a breaker's keys live at least its window plus its
   * recovery time plus its probe lease). Finite and > 0.
   * @default 600_000
   */
  readonly keyTtlMs?: number | undefined
  /**
   * Told once when Redis becomes unavailable and once when it is back (not per request).
   * @default a process warning (`REDRESS_REDIS_UNAVAILABLE`) when Redis becomes unavailable
   */
  readonly onLog?: RedisSyncLogHook | undefined
}

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
