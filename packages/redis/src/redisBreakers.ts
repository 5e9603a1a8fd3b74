import { describeValue } from '@redress/core/adapter'
import { FleetCircuitBreaker } from './model/FleetCircuitBreaker.ts'
import { OriginCache } from './OriginCache.ts'
import { checkMaxOrigins, checkPrefix, originKey } from './originKey.ts'
import {
  RedisCircuitBreaker,
  type RedisCircuitBreakerOptions,
  type RedisCircuitBreakerView,
} from './RedisCircuitBreaker.ts'
import { REDIS_FACTORY_DEFAULTS } from './redisBudgets.ts'
import { resolveSyncOptions } from './resolveSyncOptions.ts'
import { SHARED_REPORTER } from './SyncReporter.ts'

/** Options of {@link redisBreakers}: every `RedisCircuitBreaker` option but `key`, plus the key prefix. */
export interface RedisBreakersOptions extends Omit<RedisCircuitBreakerOptions, 'key'> {
  /**
   * The start of every key: an origin's breaker is `<prefix>:breaker:{<origin>}` (and
   * `…:failures`). No braces.
   * @default 'redress'
   */
  readonly prefix?: string | undefined
  /**
   * How many origins' breakers the factory remembers; past that, the least recently asked-for
   * is forgotten (not closed: it keeps working for whoever holds it, and stops syncing once idle).
   * @default 512
   */
  readonly maxOrigins?: number | undefined
}

/**
 * A breaker per origin, as `httpPolicy({ breakerFor })` wants it: call it with an origin to get
 * that origin's `RedisCircuitBreaker` (the same one each time).
 */
export interface RedisBreakers {
  /** The fleet breaker of `origin` (`scheme://host:port`), made on first use. Never throws. */
  (origin: string): RedisCircuitBreaker
  /** Origins remembered. */
  readonly size: number
  /** Stops every breaker's syncing (they stay usable, local only); breakers made afterwards never sync. */
  close(): void
  /** Health view: each remembered origin's breaker. */
  toJSON(): Record<string, RedisCircuitBreakerView>
}

/**
 * Fleet-wide circuit breakers, one per origin, for `httpPolicy({ breakerFor })`. Each origin's
 * breaker has its own keys, `<prefix>:breaker:{<origin>}` and `…:failures`, hash-tagged by
 * origin (Redis Cluster safe: each script call touches one slot). The options are checked here,
 * once.
 *
 * @example
 * const policy = httpPolicy({ breakerFor: redisBreakers({ client: redis }) })
 * @throws TypeError/RangeError naming the option.
 */
export function redisBreakers(options: RedisBreakersOptions): RedisBreakers {
  const owner = 'redisBreakers'
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${owner}: options must be an object with a client, got ${describeValue(options)}`)
  }
  const { prefix: givenPrefix, maxOrigins: givenMax, ...breakerOptions } = options
  const prefix = checkPrefix(owner, givenPrefix ?? REDIS_FACTORY_DEFAULTS.prefix)
  const maxOrigins = checkMaxOrigins(owner, givenMax ?? REDIS_FACTORY_DEFAULTS.maxOrigins)
  const { reporter } = resolveSyncOptions(owner, breakerOptions)
  new FleetCircuitBreaker(breakerOptions, owner) // checks the breaker's options now, not at the first request
  const cache = new OriginCache(
    maxOrigins,
    (origin) =>
      new RedisCircuitBreaker({
        ...breakerOptions,
        key: originKey(prefix, 'breaker', String(origin)),
        [SHARED_REPORTER]: reporter,
      } as RedisCircuitBreakerOptions),
  )
  const breakers = (origin: string): RedisCircuitBreaker => cache.get(String(origin))
  return Object.defineProperties(breakers, {
    size: { get: () => cache.size },
    close: { value: () => cache.close() },
    toJSON: { value: () => cache.toJSON() },
  }) as RedisBreakers
}
