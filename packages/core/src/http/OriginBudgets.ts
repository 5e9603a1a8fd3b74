import type { RetryBudget } from '../budget/RetryBudget.ts'
import { TokenBudget, type TokenBudgetOptions } from '../budget/TokenBudget.ts'

/** The most origins `OriginBudgets` remembers before forgetting the least recently used. */
export const MAX_TRACKED_ORIGINS = 512

/**
 * One `TokenBudget` per origin (`scheme://host:port`), so one failing upstream never
 * throttles retries to a healthy one. Bounded: past `maxOrigins`, the least recently
 * used origin is forgotten (it starts again with a full bucket).
 */
export class OriginBudgets {
  readonly #budgets = new Map<string, { readonly budget: TokenBudget; used: number }>()
  // Origins whose budget has been handed out (so may hold fewer than maxTokens): a success
  // elsewhere cannot change a full bucket, so it needs no lookup at all.
  readonly #handedOut = new Set<string>()
  #tick = 0
  readonly #options: TokenBudgetOptions
  readonly #max: number

  /**
   * @param options the options of each origin's `TokenBudget`. @default { maxTokens: 10, tokenRatio: 0.1 }
   * @param maxOrigins how many origins to remember. @default 512
   */
  constructor(options: TokenBudgetOptions = {}, maxOrigins: number = MAX_TRACKED_ORIGINS) {
    if (!Number.isInteger(maxOrigins) || maxOrigins < 1) {
      throw new RangeError(`maxOrigins must be a whole number >= 1, got ${String(maxOrigins)}`)
    }
    new TokenBudget(options) // validates the options now, not at the first request
    this.#options = options
    this.#max = maxOrigins
  }

  /**
   * Credits `origin`'s budget with a success, on the success path: costs nothing while no budget
   * has been handed out below its maximum (`origin` is not even read). Same effect as
   * `for(origin).recordSuccess()`.
   *
   * @param request anything with the origin as `origin`, read only when a budget may be short
   */
  creditSuccess(request: { readonly origin: string }): void {
    if (this.#handedOut.size === 0) return
    const origin = request.origin
    if (!this.#handedOut.has(origin)) return
    const entry = this.#budgets.get(origin)
    if (entry === undefined) {
      this.#handedOut.delete(origin)
      return
    }
    entry.budget.recordSuccess()
    if (entry.budget.tokens >= entry.budget.maxTokens) this.#handedOut.delete(origin)
  }

  /** The budget of `origin`, created on first use. */
  for(origin: string): RetryBudget {
    this.#handedOut.add(origin)
    const entry = this.#budgets.get(origin)
    const tick = ++this.#tick
    if (entry !== undefined) {
      // A use stamp instead of re-inserting into the Map: this runs once per request.
      entry.used = tick
      return entry.budget
    }
    if (this.#budgets.size >= this.#max) this.#evictLeastRecentlyUsed()
    const budget = new TokenBudget(this.#options)
    this.#budgets.set(origin, { budget, used: tick })
    return budget
  }

  #evictLeastRecentlyUsed(): void {
    let oldest: string | undefined
    let oldestUse = Infinity
    for (const [origin, entry] of this.#budgets) {
      if (entry.used < oldestUse) {
        oldestUse = entry.used
        oldest = origin
      }
    }
    if (oldest !== undefined) {
      this.#budgets.delete(oldest)
      this.#handedOut.delete(oldest)
    }
  }

  /** Origins currently tracked. */
  get size(): number {
    return this.#budgets.size
  }

  /** A read-only view for health endpoints: tokens left per origin. */
  toJSON(): Record<string, number> {
    const view: Record<string, number> = {}
    for (const [origin, entry] of this.#budgets) view[origin] = entry.budget.tokens
    return view
  }
}
