import type { ErrorClass, RetryBudget } from '@redress/core'
import { describeValue } from '@redress/core/adapter'
import type { BudgetSyncReply, BudgetSyncRequest } from './model/BudgetSync.ts'
import { FleetTokenBudget, type FleetTokenBudgetOptions } from './model/FleetTokenBudget.ts'
import { isClientReady } from './RedisScript.ts'
import type { RedisSyncOptions } from './RedisSyncOptions.ts'
import { checkKey, resolveSyncOptions } from './resolveSyncOptions.ts'
import { type RedisSyncMode, SyncDriver } from './SyncDriver.ts'
import { sharedReporter } from './SyncReporter.ts'
import { BUDGET_SCRIPT, budgetArgs, parseBudgetReply } from './scripts/budgetScript.ts'

/** Options of {@link RedisRetryBudget}. */
export interface RedisRetryBudgetOptions extends RedisSyncOptions, FleetTokenBudgetOptions {
  /** The Redis key of the fleet's bucket (one key per upstream, e.g. `redress:budget:{https://api.example.com}`). */
  readonly key: string
}

/** What {@link RedisRetryBudget} shows a health endpoint. Plain data, safe to serialise. */
export interface RedisRetryBudgetView {
  /** The Redis key. */
  readonly key: string
  /** The bucket's capacity. */
  readonly maxTokens: number
  /** Tokens a success puts back. */
  readonly tokenRatio: number
  /** Tokens in this process's view of the fleet bucket, in [0, maxTokens]. */
  readonly tokens: number
  /** Whether `tryAcquire()` would grant a retry now. */
  readonly retriesAllowed: boolean
  /** Where the process stands with Redis. */
  readonly mode: RedisSyncMode
}

/**
 * One retry budget for a whole fleet: a token bucket per `key` in Redis, with the semantics of
 * `TokenBudget` (gRFC A6) — a failed attempt in any process costs one token, a success puts back
 * `tokenRatio`, retries are refused everywhere while the bucket holds half its capacity or less.
 *
 * Redis is never on a request's path: `tryAcquire()` answers at once from this process's view
 * of the bucket. Each process batches its changes and applies them in one atomic script call
 * every `syncIntervalMs` (clamped to [0, maxTokens]), reading the fleet total back in the same
 * round trip; a process that runs dry tells the fleet at once. When Redis is unreachable, slow
 * or failing, the process carries on as a local `TokenBudget` from its last view, says so once
 * (`onLog`), keeps trying in the background, and rejoins the fleet when Redis answers again.
 * Timers are `unref`ed; `close()` stops syncing (the budget then stays local).
 *
 * @example
 * const budget = new RedisRetryBudget({ client: redis, key: 'budget:{payments}' })
 * const policy = httpPolicy({ budget })
 */
export class RedisRetryBudget implements RetryBudget {
  /** The Redis key of the bucket. */
  readonly key: string
  /** The bucket's capacity, in tokens. */
  readonly maxTokens: number
  /** Tokens each success puts back. */
  readonly tokenRatio: number
  readonly #core: FleetTokenBudget
  readonly #driver: SyncDriver<BudgetSyncRequest, BudgetSyncReply>

  /**
   * @param options see {@link RedisRetryBudgetOptions}
   * @throws TypeError/RangeError naming the option.
   */
  constructor(options: RedisRetryBudgetOptions) {
    const owner = 'RedisRetryBudget'
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${owner}: options must be an object with client and key, got ${describeValue(options)}`)
    }
    const key = checkKey(owner, options.key)
    const sync = resolveSyncOptions(owner, options, sharedReporter(options))
    const core = new FleetTokenBudget(options, owner)
    this.key = key
    this.maxTokens = core.maxTokens
    this.tokenRatio = core.tokenRatio
    this.#core = core
    const { client, keyTtlMs } = sync
    this.#driver = new SyncDriver(
      core,
      {
        ready: () => isClientReady(client),
        send: (request) => BUDGET_SCRIPT.run(client, [key], budgetArgs(request, keyTtlMs)).then(parseBudgetReply),
      },
      { timing: sync.timing, clock: sync.clock, reporter: sync.reporter, key },
    )
  }

  /** Tokens in this process's view of the fleet bucket, in [0, maxTokens]. */
  get tokens(): number {
    return this.#core.tokens
  }

  /** Where the process stands with Redis: `connecting` (before the first sync), `fleet` or `local`. */
  get mode(): RedisSyncMode {
    return this.#driver.mode
  }

  /** True while this process's view of the fleet bucket holds more than half of it. Never waits. */
  tryAcquire(): boolean {
    return this.#core.tryAcquire()
  }

  /** Puts back `tokenRatio` tokens: here at once, in Redis at the next sync. */
  recordSuccess(): void {
    this.#core.recordSuccess()
  }

  /** Takes one token for a retryable class (nothing for AUTH, PERMISSION, PERMANENT): here at once, in Redis at the next sync. */
  recordFailure(errorClass: ErrorClass): void {
    this.#core.recordFailure(errorClass)
  }

  /** Stops syncing; the budget keeps answering from its local view. Idempotent. */
  close(): void {
    this.#driver.close()
  }

  /** A plain snapshot for health endpoints (also what `JSON.stringify(budget)` writes). */
  toJSON(): RedisRetryBudgetView {
    const view = this.#core.toJSON()
    return {
      key: this.key,
      maxTokens: view.maxTokens,
      tokenRatio: view.tokenRatio,
      tokens: view.tokens,
      retriesAllowed: view.retriesAllowed,
      mode: this.#driver.mode,
    }
  }
}
