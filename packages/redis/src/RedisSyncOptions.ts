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
   * process carries on on local state). Finite and > 0.
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
