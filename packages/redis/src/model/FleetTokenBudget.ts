import { type Clock, type ErrorClass, NON_RETRYABLE_CLASSES, type RetryBudget, systemClock } from '@redress/core'
import { clockOption, describeValue } from '@redress/core/adapter'
import { HTTP_TOKEN_BUDGET_DEFAULTS } from '@redress/core/http'
import type { BudgetSyncReply, BudgetSyncRequest } from './BudgetSync.ts'
import { IdleWatch } from './IdleWatch.ts'
import { positiveMs } from './positiveMs.ts'
import { NO_SYNC_HOOKS, type SyncHooks } from './SyncHooks.ts'

/** Options of {@link FleetTokenBudget}: the bucket (as `TokenBudget`'s) and when to stop syncing. */
export interface FleetTokenBudgetOptions {
  /**
   * The fleet bucket's capacity, in tokens; it starts full. Retries stop while it holds
   * `maxTokens / 2` tokens or fewer. Finite and at least 0.001.
   * @default 20 (what `httpPolicy` gives each origin: HTTP_TOKEN_BUDGET_DEFAULTS)
   */
  readonly maxTokens?: number | undefined
  /**
   * Tokens each successful attempt, in any process, puts back. Finite and at least 0.001.
   * @default 2 (what `httpPolicy` gives each origin: HTTP_TOKEN_BUDGET_DEFAULTS)
   */
  readonly tokenRatio?: number | undefined
  /**
   * After this many milliseconds without a call, the object stops syncing until it is used
   * again. Finite and > 0.
   * @default 60_000
   */
  readonly idleAfterMs?: number | undefined
  /**
   * Where time is read from (only `now()`), for the idle check.
   * @default systemClock
   */
  readonly clock?: Clock | undefined
}

/**
 * The defaults of {@link FleetTokenBudgetOptions}. The bucket is the one `httpPolicy` keeps per
 * origin in each process (`HTTP_TOKEN_BUDGET_DEFAULTS`), so moving a budget from the process to
 * the fleet changes who shares it, not how it judges an upstream.
 */
export const FLEET_TOKEN_BUDGET_DEFAULTS: {
  /** The bucket's capacity, in tokens (`HTTP_TOKEN_BUDGET_DEFAULTS.maxTokens`). */
  readonly maxTokens: number
  /** Tokens a success puts back (`HTTP_TOKEN_BUDGET_DEFAULTS.tokenRatio`). */
  readonly tokenRatio: number
  /** Idle time after which syncing stops, in ms. */
  readonly idleAfterMs: 60_000
} = Object.freeze({
  maxTokens: HTTP_TOKEN_BUDGET_DEFAULTS.maxTokens,
  tokenRatio: HTTP_TOKEN_BUDGET_DEFAULTS.tokenRatio,
  idleAfterMs: 60_000,
} as const)

/** What {@link FleetTokenBudget} shows a health endpoint. */
export interface FleetTokenBudgetView {
  /** The bucket's capacity. */
  readonly maxTokens: number
  /** Tokens a success puts back. */
  readonly tokenRatio: number
  /** Tokens in this process's view of the fleet bucket. */
  readonly tokens: number
  /** Whether `tryAcquire()` would grant a retry now. */
  readonly retriesAllowed: boolean
  /** `true` once the last sync succeeded; `false` while this process decides on local state alone. */
  readonly fleet: boolean
}

/** Token counts are kept in thousandths, as `TokenBudget` does, so 0.1 steps never drift. */
const SCALE = 1000

/**
 * The local half of a fleet-wide token bucket (gRFC A6 semantics, as `TokenBudget`): it answers
 * `tryAcquire()` at once from this process's view of the fleet bucket, and keeps the net change
 * since the last sync as one number. A driver calls `beginSync` to take that batch, applies it
 * to the shared bucket atomically (clamped to [0, maxTokens]), and hands the fleet total back to
 * `endSync`; the view becomes that total plus whatever happened meanwhile. When syncs fail
 * (`failSync`), the view simply carries on as a local `TokenBudget` would.
 *
 * No I/O and no timers: `RedisRetryBudget` drives it with Redis, `pnpm sim` with a simulated
 * store. The hot path (`tryAcquire`, `recordSuccess`, `recordFailure`) is a few arithmetic
 * operations and allocates nothing.
 */
export class FleetTokenBudget implements RetryBudget {
  /** The bucket's capacity, in tokens. */
  readonly maxTokens: number
  /** Tokens each success puts back. */
  readonly tokenRatio: number
  /** Idle time after which syncing stops, in ms. */
  readonly idleAfterMs: number
  readonly #max: number
  readonly #ratio: number
  readonly #clock: Clock
  #view: number
  #pending = 0
  #fleet = false
  readonly #idle: IdleWatch
  #hooks: SyncHooks = NO_SYNC_HOOKS

  /** @throws TypeError/RangeError naming the option. */
  constructor(options: FleetTokenBudgetOptions = {}, owner = 'FleetTokenBudget') {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`${owner}: options must be an object, got ${describeValue(options)}`)
    }
    const d = FLEET_TOKEN_BUDGET_DEFAULTS
    this.#max = toThousandths(owner, 'maxTokens', options.maxTokens ?? d.maxTokens)
    this.#ratio = toThousandths(owner, 'tokenRatio', options.tokenRatio ?? d.tokenRatio)
    this.idleAfterMs = positiveMs(owner, 'idleAfterMs', options.idleAfterMs ?? d.idleAfterMs)
    const clock = clockOption(owner, options.clock) ?? systemClock
    this.#clock = clock
    this.maxTokens = this.#max / SCALE
    this.tokenRatio = this.#ratio / SCALE
    this.#view = this.#max
    this.#idle = new IdleWatch(this.idleAfterMs, clock.now())
  }

  /** Installs the driver's hooks. */
  setSyncHooks(hooks: SyncHooks): void {
    this.#hooks = hooks
  }

  /** Tokens in this process's view of the fleet bucket, in [0, maxTokens]. */
  get tokens(): number {
    return this.#view / SCALE
  }

  /** `true` once the last sync succeeded; `false` before the first and after a failed one. */
  get fleet(): boolean {
    return this.#fleet
  }

  /** True while the view holds more than half the bucket. Takes nothing. */
  tryAcquire(): boolean {
    this.#idle.use(this.#hooks)
    return this.#view * 2 > this.#max
  }

  /** Puts back `tokenRatio` tokens (in the view now, in the fleet bucket at the next sync). */
  recordSuccess(): void {
    this.#idle.use(this.#hooks)
    const view = this.#view + this.#ratio
    this.#view = Math.min(view, this.#max)
    this.#pending += this.#ratio
  }

  /** Takes one token for a retryable class; nothing for AUTH, PERMISSION, PERMANENT. */
  recordFailure(errorClass: ErrorClass): void {
    this.#idle.use(this.#hooks)
    if (NON_RETRYABLE_CLASSES.has(errorClass)) return
    const before = this.#view
    this.#view = before > SCALE ? before - SCALE : 0
    this.#pending -= SCALE
    // The moment this process stops retrying, the others should hear of it at once.
    if (before * 2 > this.#max && this.#view * 2 <= this.#max) this.#hooks.urgent()
  }

  /**
   * Takes the batch to send, or returns `undefined` when the object has been idle for
   * `idleAfterMs` with nothing to send: it then sleeps until its next use (`wake`).
   */
  beginSync(nowMs: number): BudgetSyncRequest | undefined {
    if (this.#idle.sleeps(nowMs, this.#pending !== 0)) return undefined
    const max = this.#max
    const pending = this.#pending
    this.#pending = 0
    return { maxMilli: max, deltaMilli: pending > max ? max : Math.max(pending, -max) }
  }

  /** Takes the fleet total after our batch: the view is that plus what happened since. */
  endSync(reply: BudgetSyncReply, _nowMs: number): void {
    this.#fleet = true
    const view = reply.tokensMilli + this.#pending
    this.#view = view > this.#max ? this.#max : Math.max(view, 0)
  }

  /**
   * A sync failed. `request` is the batch that was never sent (the store was not reachable),
   * which is kept for the next sync; a batch that was sent and then failed or timed out is
   * dropped, since the store may have applied it (deltas are applied at most once).
   */
  failSync(_error: unknown, _nowMs: number, unsent?: BudgetSyncRequest): void {
    this.#fleet = false
    if (unsent !== undefined) this.#pending += unsent.deltaMilli
  }

  /** A plain snapshot for health endpoints. */
  toJSON(): FleetTokenBudgetView {
    return {
      maxTokens: this.maxTokens,
      tokenRatio: this.tokenRatio,
      tokens: this.tokens,
      retriesAllowed: this.#view * 2 > this.#max,
      fleet: this.#fleet,
    }
  }
}

function toThousandths(owner: string, name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError(`${owner}: ${name} must be a finite number of tokens, got ${describeValue(value)}`)
  }
  const milli = Math.round(value * SCALE)
  // Redis's Lua numbers are doubles; keep every sum exact.
  if (milli < 1 || milli > 2 ** 40) {
    throw new RangeError(`${owner}: ${name} must be between 0.001 and ${2 ** 40 / SCALE}, got ${value}`)
  }
  return milli
}
