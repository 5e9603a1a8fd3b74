import type { RetryBudget } from '../budget/RetryBudget.ts'
import { isolate } from '../guard/isolate.ts'
import type { ResolvedPolicy } from './resolveOptions.ts'

/**
 * What a successful call tells the policy's shared state, the same on the fast path and in a
 * full run: every outcome observer (an `adaptive` strategy) and the call's budget are credited
 * with a success. A throwing observer or budget is isolated: the call still succeeds.
 *
 * @param budget the call's budget, or what credits it for an adapter (`DeferredCall`, which looks
 *   the origin's budget up only when it must)
 */
export function creditSuccess(p: ResolvedPolicy, budget: Pick<RetryBudget, 'recordSuccess'> | undefined): void {
  const observers = p.observers
  for (let i = 0; i < observers.length; i++) {
    const o = observers[i] as (typeof observers)[number]
    isolate(undefined, o.recordSuccess, o)
  }
  if (budget !== undefined) isolate(undefined, budget.recordSuccess, budget)
}
