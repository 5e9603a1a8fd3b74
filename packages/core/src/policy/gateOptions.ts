import type { CircuitBreakerLike } from '../breaker/CircuitBreakerLike.ts'
import type { RetryBudget } from '../budget/RetryBudget.ts'
import { methodsOption } from '../guard/validate.ts'
import type { AdmissionThrottle } from '../throttle/AdmissionThrottle.ts'

// The options that plug a gate into a policy or a call: a retry budget, a circuit breaker, a
// client-side throttle. Each is any object with the gate's methods, checked by name.

/** The methods a retry budget must have (`RetryBudget`). */
export const BUDGET_METHODS: readonly string[] = ['tryAcquire', 'recordSuccess', 'recordFailure']
/** The methods a circuit breaker must have (`CircuitBreakerLike`). */
export const BREAKER_METHODS: readonly string[] = ['admit', 'record']
/** The methods a client-side throttle must have (`AdmissionThrottle`). */
export const THROTTLE_METHODS: readonly string[] = ['admit', 'recordSuccess', 'recordFailure']

/** A budget option: an object with the three methods, `null` (off) or undefined. */
export function budgetOption(owner: string, value: unknown, name = 'budget'): RetryBudget | null | undefined {
  return value === null ? null : methodsOption<RetryBudget>(owner, name, value, BUDGET_METHODS)
}

/** A circuit breaker option: an object with `admit()` and `record()`, or undefined. */
export function breakerOption(owner: string, value: unknown): CircuitBreakerLike | undefined {
  return methodsOption<CircuitBreakerLike>(owner, 'circuitBreaker', value, BREAKER_METHODS)
}

/** A throttle option: an object with the three methods, `null` (off) or undefined. */
export function throttleOption(owner: string, value: unknown): AdmissionThrottle | null | undefined {
  if (value === null) return null
  return methodsOption<AdmissionThrottle>(owner, 'throttle', value, THROTTLE_METHODS)
}
