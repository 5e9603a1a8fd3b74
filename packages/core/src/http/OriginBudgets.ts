import type { RetryBudget } from '../budget/RetryBudget.ts'
import { TokenBudget, type TokenBudgetOptions } from '../budget/TokenBudget.ts'
import { isolate } from '../guard/isolate.ts'

/** The most origins `OriginBudgets` remembers before forgetting the least recently used. */
export const MAX_TRACKED_ORIGINS = 512

interface Entry {
  readonly budget: RetryBudget
  used: number
}

/**
 * One budget per origin (`scheme://host:port`), so one failing upstream never throttles retries
 * to a healthy one: a `TokenBudget` each, or whatever `budgetFor(origin)` makes (e.g. one shared
 * by a whole fleet through Redis). Bounded: past `maxOrigins`, the least recently used origin is
 * forgotten (a `TokenBudget` starts again with a full bucket; a factory is asked again).
 */
export class OriginBudgets {
  readonly #budgets = new Map<string, Entry>()
  // Origins whose TokenBudget has been handed out (so may hold fewer than maxTokens): a success
  // elsewhere cannot change a full bucket, so it needs no lookup at all. Unused with a factory,
  // whose budgets may be shared with other processes: every success is credited.
  readonly #handedOut = new Set<string>()
  #tick = 0
  readonly #options: TokenBudgetOptions
  readonly #factory: ((origin: string) => RetryBudget) | undefined
  readonly #max: number

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
    if (!Number.isInteger(maxOrigins) || maxOrigins < 1) {
      throw new RangeError(`maxOrigins must be a whole number >= 1, got ${String(maxOrigins)}`)
    }
    if (typeof options === 'function') {
      this.#factory = options
      this.#options = {}
    } else {
      new TokenBudget(options) // validates the options now, not at the first request
      this.#options = options
    }
    this.#max = maxOrigins
  }

  /**
   * Credits `origin`'s budget with a success, on the success path: with `TokenBudget`s, costs
   * nothing while no budget has been handed out below its maximum (`origin` is not even read).
   * Same effect as `for(origin).recordSuccess()`.
   *
   * @param request anything with the origin as `origin`, read only when a budget may be short
   */
  creditSuccess(request: { readonly origin: string }): void {
    if (this.#factory !== undefined) {
      const budget = this.for(request.origin)
      isolate(undefined, budget.recordSuccess, budget)
      return
    }
    if (this.#handedOut.size === 0) return
    const origin = request.origin
    if (!this.#handedOut.has(origin)) return
    const entry = this.#budgets.get(origin)
    if (entry === undefined) {
      this.#handedOut.delete(origin)
      return
    }
    const budget = entry.budget as TokenBudget
    budget.recordSuccess()
    if (budget.tokens >= budget.maxTokens) this.#handedOut.delete(origin)
  }

  /** The budget of `origin`, made on first use. */
  for(origin: string): RetryBudget {
    if (this.#factory === undefined) this.#handedOut.add(origin)
    const entry = this.#budgets.get(origin)
    const tick = ++this.#tick
    if (entry !== undefined) {
      // A use stamp instead of re-inserting into the Map: this runs once per request.
      entry.used = tick
      return entry.budget
    }
    if (this.#budgets.size >= this.#max) this.#evictLeastRecentlyUsed()
    const budget = this.#make(origin)
    this.#budgets.set(origin, { budget, used: tick })
    return budget
  }

  #make(origin: string): RetryBudget {
    const factory = this.#factory
    if (factory === undefined) return new TokenBudget(this.#options)
    const made = isolate(undefined, factory, undefined, origin) as Partial<RetryBudget> | undefined
    const ok =
      typeof made === 'object' &&
      made !== null &&
      typeof made.tryAcquire === 'function' &&
      typeof made.recordSuccess === 'function' &&
      typeof made.recordFailure === 'function'
    // A broken factory must not fail the request: this origin gets a local bucket.
    return ok ? (made as RetryBudget) : new TokenBudget()
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

  /** A read-only view for health endpoints: tokens left per origin (budgets that show a numeric `tokens`). */
  toJSON(): Record<string, number> {
    const view: Record<string, number> = {}
    for (const [origin, entry] of this.#budgets) {
      const tokens = (entry.budget as { readonly tokens?: unknown }).tokens
      if (typeof tokens === 'number') view[origin] = tokens
    }
    return view
  }
}
