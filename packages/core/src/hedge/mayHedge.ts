import type { CircuitState } from '../breaker/CircuitBreakerLike.ts'
import type { RetryBudget } from '../budget/RetryBudget.ts'
import { isolate } from '../guard/isolate.ts'

/** What decides whether a hedge may start now. */
export interface HedgeFacts {
  /** Hedges this call has started so far. */
  readonly hedges: number
  readonly maxHedges: number
  /** Attempts this call has started so far (hedges included). */
  readonly attempts: number
  readonly maxAttempts: number
  readonly nowMs: number
  /** Clock time of the deadline, or null for none. */
  readonly deadlineAtMs: number | null
  /** The call's circuit breaker's state, `undefined` without one. */
  readonly breakerState: CircuitState | undefined
}

/** Why no hedge starts. */
export type HedgeRefusal = 'max_hedges' | 'max_attempts' | 'deadline' | 'circuit' | 'budget'

/**
 * Whether a hedge may start now: `undefined` when it may, else why not. Pure but for the budget,
 * asked last (as `decide` does) so that no token is taken for a hedge that will not be sent; a
 * budget that throws refuses (unlike a retry, a hedge is never needed to finish a call).
 *
 * Order: hedges used → attempts used (hedges count toward `maxAttempts`) → deadline reached →
 * breaker not closed → budget.
 */
export function mayHedge(facts: HedgeFacts, budget: RetryBudget | undefined): HedgeRefusal | undefined {
  if (facts.hedges >= facts.maxHedges) return 'max_hedges'
  if (facts.attempts >= facts.maxAttempts) return 'max_attempts'
  if (facts.deadlineAtMs !== null && facts.nowMs >= facts.deadlineAtMs) return 'deadline'
  if (facts.breakerState !== undefined && facts.breakerState !== 'closed') return 'circuit'
  if (budget !== undefined && isolate(false, budget.tryAcquire, budget) !== true) return 'budget'
  return undefined
}
