import { describeValue } from '@redress/core/adapter'
import { MAX_TRACKED_ORIGINS } from '@redress/core/http'
import { FleetTokenBudget } from './model/FleetTokenBudget.ts'
import { OriginCache } from './OriginCache.ts'
import { checkMaxOrigins, checkPrefix, originKey } from './originKey.ts'
import { RedisRetryBudget, type RedisRetryBudgetOptions, type RedisRetryBudgetView } from './RedisRetryBudget.ts'
import { resolveSyncOptions } from './resolveSyncOptions.ts'
import { SHARED_REPORTER } from './SyncReporter.ts'

/** Options of {@link redisBudgets}: every `RedisRetryBudget` option but `key`, plus the key prefix. */
export interface RedisBudgetsOptions extends Omit<RedisRetryBudgetOptions, 'key'> {
  /**
   * The start of every key: an origin's bucket is `<prefix>:budget:{<origin>}`. No braces.
   * @default 'redress'
   */
  readonly prefix?: string | undefined
  /**
   * How many origins' budgets the factory remembers; past that, the least recently asked-for is
   * forgotten (not closed: it keeps working for whoever holds it, and stops syncing once idle).
   * @default 512
   */
  readonly maxOrigins?: number | undefined
}

/** The defaults of {@link RedisBudgetsOptions} (and of {@link RedisBreakersOptions}). */
export const REDIS_FACTORY_DEFAULTS: {
  /** The start of every key. */
  readonly prefix: 'redress'
  /** Origins remembered by one factory: as many as `httpPolicy` remembers (`MAX_TRACKED_ORIGINS`). */
  readonly maxOrigins: typeof MAX_TRACKED_ORIGINS
} = Object.freeze({
  prefix: 'redress',
  maxOrigins: MAX_TRACKED_ORIGINS,
} as const)

/**
 * A budget per origin, as `httpPolicy({ budgetFor })` wants it: call it with an origin to get
 * that origin's `RedisRetryBudget` (the same one each time).
 */
export interface RedisBudgets {
  /** The fleet budget of `origin` (`scheme://host:port`), made on first use. Never throws. */
  (origin: string): RedisRetryBudget
  /** Origins remembered. */
  readonly size: number
  /** Stops every budget's syncing (they stay usable, local only); budgets made afterwards never sync. */
  close(): void
  /** Health view: each remembered origin's budget. */
  toJSON(): Record<string, RedisRetryBudgetView>
}

/**
 * Fleet-wide retry budgets, one per origin, for `httpPolicy({ budgetFor })`. Each origin's
 * bucket has its own key, `<prefix>:budget:{<origin>}`, hash-tagged by origin (Redis Cluster
 * safe: each script call touches one slot). The options are checked here, once.
 *
 * @example
 * const policy = httpPolicy({ budgetFor: redisBudgets({ client: redis }) })
 * @throws TypeError/RangeError naming the option.
 */
export function redisBudgets(options: RedisBudgetsOptions): RedisBudgets {
  const owner = 'redisBudgets'
  if (typeof options !== 'object' || options === null) {
    throw new TypeError(`${owner}: options must be an object with a client, got ${describeValue(options)}`)
  }
  const { prefix: givenPrefix, maxOrigins: givenMax, ...budgetOptions } = options
  const prefix = checkPrefix(owner, givenPrefix ?? REDIS_FACTORY_DEFAULTS.prefix)
  const maxOrigins = checkMaxOrigins(owner, givenMax ?? REDIS_FACTORY_DEFAULTS.maxOrigins)
  const { reporter } = resolveSyncOptions(owner, budgetOptions)
  new FleetTokenBudget(budgetOptions, owner) // checks the bucket's options now, not at the first request
  const cache = new OriginCache(
    maxOrigins,
    (origin) =>
      new RedisRetryBudget({
        ...budgetOptions,
        key: originKey(prefix, 'budget', String(origin)),
        [SHARED_REPORTER]: reporter,
      } as RedisRetryBudgetOptions),
  )
  const budgets = (origin: string): RedisRetryBudget => cache.get(String(origin))
  return Object.defineProperties(budgets, {
    size: { get: () => cache.size },
    close: { value: () => cache.close() },
    toJSON: { value: () => cache.toJSON() },
  }) as RedisBudgets
}
