/**
 * The part of an ioredis client (`Redis` or `Cluster`, ioredis ≥ 5) that `@redress/redis` uses:
 * `evalsha`/`eval` with a key count, and `status` to tell whether it is connected.
 */
export interface IoredisClientLike {
  /** Runs a cached script. */
  evalsha(sha1: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>
  /** Runs (and caches) a script. */
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>
  /** `'ready'` while connected; anything else means the client is not (or no longer) usable. */
  readonly status?: string
}

/**
 * The part of a node-redis client (`createClient()` or `createCluster()`, `redis` ≥ 4) that
 * `@redress/redis` uses: `evalSha`/`eval` with `{ keys, arguments }`, and `isReady`.
 */
export interface NodeRedisClientLike {
  /** Runs a cached script. */
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  /** Runs (and caches) a script. */
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>
  /** `true` while connected. */
  readonly isReady?: boolean
}

/**
 * A Redis client, as `@redress/redis` sees it: an ioredis or a node-redis client, used as
 * you created it (nothing is bundled, nothing is configured for you). It is told apart by its
 * method names (`evalSha` is node-redis, `evalsha` ioredis).
 */
export type RedisClientLike = IoredisClientLike | NodeRedisClientLike
