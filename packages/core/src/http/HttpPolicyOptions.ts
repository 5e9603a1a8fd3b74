import type { CircuitBreakerOptions } from '../breaker/CircuitBreaker.ts'
import type { CircuitBreakerLike } from '../breaker/CircuitBreakerLike.ts'
import type { RetryBudget } from '../budget/RetryBudget.ts'
import type { TokenBudgetOptions } from '../budget/TokenBudget.ts'
import { describeValue } from '../describeValue.ts'
import { functionOption, numberOption } from '../guard/validate.ts'
import type { RetryOptions } from '../policy/RetryOptions.ts'
import type { AdaptiveThrottleOptions } from '../throttle/AdaptiveThrottle.ts'
import type { AdmissionThrottle } from '../throttle/AdmissionThrottle.ts'
import { MAX_TRACKED_ORIGINS } from './OriginBudgets.ts'

const OWNER = 'httpPolicy'

/** The defaults of `httpPolicy`, resolved once. Other fields default as in `RetryPolicy`. */
export const HTTP_POLICY_DEFAULTS: {
  readonly maxAttempts: 3
  readonly maxRetryAfterMs: 60_000
  readonly deadlineMs: 60_000
  readonly maxOrigins: 512
} = Object.freeze({
  maxAttempts: 3,
  maxRetryAfterMs: 60_000,
  deadlineMs: 60_000,
  maxOrigins: MAX_TRACKED_ORIGINS,
} as const)

/**
 * The per-origin `TokenBudget` of `httpPolicy`, chosen with `pnpm sim` (bench/README.md,
 * "Overload"): 20 tokens and 2 per success, so retries stop only while more than two attempts in
 * three fail. With the per-origin throttle on (the default), the budget no longer has to stop an
 * outage — the throttle does — and it must not stop retries that work: with gRPC's 0.1 (or the
 * 0.2 used before), one bad backend of three (33 % of attempts failing) drained the bucket and
 * success fell from 96.4 % (unbounded retries) to 68 %; with 20 and 2 it stays at 96.4 %.
 */
export const HTTP_TOKEN_BUDGET_DEFAULTS: { readonly maxTokens: 20; readonly tokenRatio: 2 } = Object.freeze({
  maxTokens: 20,
  tokenRatio: 2,
} as const)

/** Options of `httpPolicy`: every `RetryOptions` field, plus the per-origin budget's and breaker's. */
export interface HttpPolicyOptions extends RetryOptions {
  /**
   * A budget shared by every origin, or `null` for none. When absent (the default),
   * each origin gets its own `TokenBudget` (see `tokenBudget`), so one failing upstream
   * never throttles retries to a healthy one.
   * @default a TokenBudget per origin
   */
  budget?: RetryBudget | null | undefined
  /** Options of each origin's `TokenBudget`. @default { maxTokens: 20, tokenRatio: 2 } (HTTP_TOKEN_BUDGET_DEFAULTS) */
  tokenBudget?: TokenBudgetOptions | undefined
  /**
   * Makes the retry budget of each origin (`scheme://host:port`) instead of a local `TokenBudget`
   * — e.g. `redisBudgets({ client })` from `@redress/redis`, one budget per upstream for a whole
   * fleet. Called once per origin the policy remembers (`maxOrigins`); every success is credited
   * to the origin's budget. One that throws or returns no budget gives that origin a local
   * `TokenBudget`. Not with `budget` or `tokenBudget`.
   * @default undefined (a TokenBudget per origin)
   * @example httpPolicy({ budgetFor: redisBudgets({ client: redis }) })
   */
  budgetFor?: ((origin: string) => RetryBudget) | undefined
  /**
   * Makes the circuit breaker of each origin, so one dead upstream never opens the breaker of a
   * healthy one — e.g. `redisBreakers({ client })` from `@redress/redis` (one breaker per
   * upstream for a whole fleet) or `() => new CircuitBreaker({ failureThreshold: 10 })`. Called
   * once per origin the policy remembers (`maxOrigins`); one that throws or returns no breaker
   * gives that origin a local `CircuitBreaker`. Not with `circuitBreaker` or `breakerPerOrigin`.
   * @default undefined (no breaker)
   * @example httpPolicy({ breakerFor: redisBreakers({ client: redis }) })
   */
  breakerFor?: ((origin: string) => CircuitBreakerLike) | undefined
  /**
   * A local `CircuitBreaker` per origin, with these options (`true`: its defaults), so one dead
   * upstream never opens the breaker of a healthy one (`circuitBreaker` is one breaker for every
   * origin). Not with `circuitBreaker` or `breakerFor`.
   * @default undefined (no breaker)
   * @example httpPolicy({ breakerPerOrigin: { failureThreshold: 5, recoveryTimeoutMs: 30_000 } })
   */
  breakerPerOrigin?: CircuitBreakerOptions | boolean | undefined
  /**
   * A client-side throttle shared by every origin, or `null` for none. When absent (the default),
   * each origin gets its own `AdaptiveThrottle` (see `adaptiveThrottle`), which refuses a call
   * locally — never sent, `ThrottledError` — with the SRE book's probability once the origin
   * rejects more than one call in two, so an overloaded upstream can drain.
   * @default an AdaptiveThrottle per origin
   */
  throttle?: AdmissionThrottle | null | undefined
  /**
   * Options of each origin's `AdaptiveThrottle` (its clock and random source default to the
   * policy's). @default ADAPTIVE_THROTTLE_DEFAULTS — { k: 2, windowMs: 30000, maxRequests: 20, minRequests: 10, maxRejectionProbability: 0.8 }
   * @example httpPolicy({ adaptiveThrottle: { k: 3 } })
   */
  adaptiveThrottle?: AdaptiveThrottleOptions | undefined
  /**
   * Makes the throttle of each origin instead of a local `AdaptiveThrottle`. Called once per
   * origin the policy remembers (`maxOrigins`); one that throws or returns no throttle gives that
   * origin a local `AdaptiveThrottle`. Not with `throttle` or `adaptiveThrottle`.
   * @default undefined (an AdaptiveThrottle per origin)
   */
  throttleFor?: ((origin: string) => AdmissionThrottle) | undefined
  /** How many origins' budgets, breakers and throttles to remember (least recently used are forgotten). @default 512 */
  maxOrigins?: number | undefined
  /** @default 3 */
  maxAttempts?: number | undefined
  /** A server delay (`Retry-After`) above this gives up at once, handing back the last response. @default 60000 */
  maxRetryAfterMs?: number | undefined
}

/** Checks the per-origin options of `httpPolicy`. @throws TypeError/RangeError naming the option. */
export function checkPerOrigin(o: HttpPolicyOptions): void {
  numberOption(OWNER, 'maxOrigins', o.maxOrigins, { min: 1, integer: true })
  if (functionOption(OWNER, 'budgetFor', o.budgetFor) !== undefined) {
    if (o.budget !== undefined || o.tokenBudget !== undefined) {
      throw new TypeError("httpPolicy: budgetFor makes every origin's budget; give it without budget and tokenBudget")
    }
  }
  functionOption(OWNER, 'breakerFor', o.breakerFor)
  if (functionOption(OWNER, 'throttleFor', o.throttleFor) !== undefined) {
    if (o.throttle !== undefined || o.adaptiveThrottle !== undefined) {
      throw new TypeError(
        "httpPolicy: throttleFor makes every origin's throttle; give it without throttle and adaptiveThrottle",
      )
    }
  }
  if (o.adaptiveThrottle !== undefined && o.throttle !== undefined) {
    throw new TypeError("httpPolicy: adaptiveThrottle configures each origin's own throttle; give it without throttle")
  }
  const perOrigin = o.breakerPerOrigin
  if (
    perOrigin !== undefined &&
    typeof perOrigin !== 'boolean' &&
    (typeof perOrigin !== 'object' || perOrigin === null)
  ) {
    throw new TypeError(
      `httpPolicy: breakerPerOrigin must be true or CircuitBreaker options, got ${describeValue(perOrigin)}`,
    )
  }
  const given = [
    o.circuitBreaker !== undefined && 'circuitBreaker',
    o.breakerFor !== undefined && 'breakerFor',
    perOrigin !== undefined && perOrigin !== false && 'breakerPerOrigin',
  ].filter((name) => name !== false)
  if (given.length > 1) {
    throw new TypeError(
      `httpPolicy: give one of circuitBreaker, breakerFor and breakerPerOrigin, not ${given.join(' and ')}`,
    )
  }
}
