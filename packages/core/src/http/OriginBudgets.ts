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
  readonly #budgets = new Map<string, TokenBudget>()
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

  /** The budget of `origin`, created on first use. */
  for(origin: string): RetryBudget {
    let budget = this.#budgets.get(origin)
    if (budget !== undefined) {
      // Re-insert to mark it most recently used (a Map iterates in insertion order).
      this.#budgets.delete(origin)
    } else {
      budget = new TokenBudget(this.#options)
      if (this.#budgets.size >= this.#max) {
        const oldest = this.#budgets.keys().next().value
        if (oldest !== undefined) this.#budgets.delete(oldest)
      }
    }
    this.#budgets.set(origin, budget)
    return budget
  }

  /** Origins currently tracked. */
  get size(): number {
    return this.#budgets.size
  }

  /** A read-only view for health endpoints: tokens left per origin. */
  toJSON(): Record<string, number> {
    const view: Record<string, number> = {}
    for (const [origin, budget] of this.#budgets) view[origin] = budget.tokens
    return view
  }
}
