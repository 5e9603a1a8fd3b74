import type { RetryBudget } from '../budget/RetryBudget.ts'
import { TokenBudget, type TokenBudgetOptions } from '../budget/TokenBudget.ts'
import { isolate } from '../guard/isolate.ts'
import { BUDGET_METHODS } from '../policy/gateOptions.ts'
import { OriginLru, originMaker } from './OriginLru.ts'

/** The most origins `OriginBudgets` remembers before forgetting the least recently used. */
export const MAX_TRACKED_ORIGINS = 512

/**
 * One budget per origin (`scheme://host:port`), so one failing upstream never throttles retries
 * to a healthy one: a `TokenBudget` each, or whatever `budgetFor(origin)` makes (e.g. one shared
 * by a whole fleet through Redis). Bounded: past `maxOrigins`, the least recently used origin is
 * forgotten (a `TokenBudget` starts again with a full bucket; a factory is asked again).
 */
export class OriginBudgets {
  readonly #budgets: OriginLru<RetryBudget>
  // Origins whose TokenBudget has been handed out (so may hold fewer than maxTokens): a success
  // elsewhere cannot change a full bucket, so it needs no lookup at all. Unused with a factory,
  // whose budgets may be shared with other processes: every success is credited.
  readonly #handedOut = new Set<string>()
  // True with a factory, whose budgets may be shared with other processes.
  readonly #shared: boolean
  readonly #make: (origin: string) => RetryBudget

  /**
   * @param options the options of each origin's `TokenBudget`, or a function making each origin's
   *   budget (called once per remembered origin; one that throws or returns no budget gives that
   *   origin a `TokenBudget` instead). @default {} — `TokenBudget`'s own defaults
   * @param maxOrigins how many origins to remember. @default 512
   */
  constructor(
    options: TokenBudgetOptions | ((origin: string) => RetryBudget) = {},
    maxOrigins: number = MAX_TRACKED_ORIGINS,
  ) {
    this.#budgets = new OriginLru(maxOrigins, (origin) => this.#handedOut.delete(origin))
    this.#shared = typeof options === 'function'
    this.#make = originMaker<RetryBudget, TokenBudgetOptions>(options, (o) => new TokenBudget(o), BUDGET_METHODS)
  }

  /**
   * Credits `origin`'s budget with a success, on the success path: with `TokenBudget`s, costs
   * nothing while no budget has been handed out below its maximum (`origin` is not even read).
   * Same effect as `for(origin).recordSuccess()`.
   *
   * @param request anything with the origin as `origin`, read only when a budget may be short
   */
  creditSuccess(request: { readonly origin: string }): void {
    if (this.#shared) {
      const budget = this.for(request.origin)
      isolate(undefined, budget.recordSuccess, budget)
      return
    }
    if (this.#handedOut.size === 0) return
    const origin = request.origin
    if (!this.#handedOut.has(origin)) return
    const budget = this.#budgets.peek(origin) as TokenBudget | undefined
    if (budget === undefined) {
      this.#handedOut.delete(origin)
      return
    }
    budget.recordSuccess()
    if (budget.tokens >= budget.maxTokens) this.#handedOut.delete(origin)
  }

  /** The budget of `origin`, made on first use. */
  for(origin: string): RetryBudget {
    if (!this.#shared) this.#handedOut.add(origin)
    return this.#budgets.slot(origin, this.#make).value
  }

  /** Origins currently tracked. */
  get size(): number {
    return this.#budgets.size
  }

  /** A read-only view for health endpoints: tokens left per origin (budgets that show a numeric `tokens`). */
  toJSON(): Record<string, number> {
    const view: Record<string, number> = {}
    for (const [origin, entry] of this.#budgets.entries()) {
      // A factory's budget is user code: a throwing `tokens` getter must not break a health endpoint.
      const tokens = isolate(undefined, () => (entry.value as { readonly tokens?: unknown }).tokens)
      if (typeof tokens === 'number') view[origin] = tokens
    }
    return view
  }
}
