import type { CircuitBreakerLike, CircuitState } from '../breaker/CircuitBreakerLike.ts'
import type { RetryBudget } from '../budget/RetryBudget.ts'
import { hasBrand } from '../errors/brand.ts'
import { optionsObject } from '../guard/validate.ts'
import { isRetryPolicy } from '../policy/policyInternals.ts'
import type { RetryOptions } from '../policy/RetryOptions.ts'
import { RetryPolicy } from '../policy/RetryPolicy.ts'
import { decorrelatedJitter } from '../strategies/decorrelatedJitter.ts'
import { retryAfterOr } from '../strategies/retryAfterOr.ts'
import type { AnyStrategy } from '../strategies/Strategy.ts'
import type { AdmissionThrottle } from '../throttle/AdmissionThrottle.ts'
import {
  checkPerOrigin,
  HTTP_POLICY_DEFAULTS,
  HTTP_TOKEN_BUDGET_DEFAULTS,
  type HttpPolicyOptions,
} from './HttpPolicyOptions.ts'
import { httpClassifier } from './httpClassifier.ts'
import { OriginBreakers } from './OriginBreakers.ts'
import { MAX_TRACKED_ORIGINS, OriginBudgets } from './OriginBudgets.ts'
import { type OriginKeyed, OriginThrottles, withPolicyTime } from './OriginThrottles.ts'

const OWNER = 'httpPolicy'

const HTTP_POLICY_BRAND: unique symbol = Symbol.for('@redress/core/HttpRetryPolicy#1') as never

/**
 * True for an `HttpRetryPolicy` from any compatible copy of `@redress/core` (ESM and CJS builds,
 * duplicate installs). `instanceof HttpRetryPolicy` answers the same.
 */
export function isHttpRetryPolicy(value: unknown): value is HttpRetryPolicy {
  return hasBrand(value, HTTP_POLICY_BRAND) && isRetryPolicy(value)
}

/**
 * The policy of the HTTP adapters: `RetryPolicy` with HTTP defaults, and a budget per origin.
 * Build it with `httpPolicy()`.
 */
export class HttpRetryPolicy extends RetryPolicy {
  /** `instanceof HttpRetryPolicy` is true for one from any compatible copy of `@redress/core`. */
  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: `this` is the class `instanceof` was asked about
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    // biome-ignore lint/complexity/noThisInStatic: only HttpRetryPolicy itself accepts any branded HTTP policy
    return this === HttpRetryPolicy && isHttpRetryPolicy(value)
  }

  readonly #httpOptions: HttpPolicyOptions
  readonly #origins: OriginBudgets | undefined
  readonly #breakers: OriginBreakers | undefined
  readonly #throttles: OriginThrottles | undefined

  /** @internal use `httpPolicy(options)`. */
  constructor(options: HttpPolicyOptions, retryOptions: RetryOptions) {
    super(retryOptions)
    // Per instance rather than in a static block, so a bundle that never builds one can drop the class.
    Object.defineProperty(this, HTTP_POLICY_BRAND, { value: true })
    this.#httpOptions = options
    const maxOrigins = options.maxOrigins ?? MAX_TRACKED_ORIGINS
    this.#origins =
      options.budget === undefined
        ? new OriginBudgets(options.budgetFor ?? { ...HTTP_TOKEN_BUDGET_DEFAULTS, ...options.tokenBudget }, maxOrigins)
        : undefined
    const { breakerFor, breakerPerOrigin } = options
    this.#breakers =
      breakerFor !== undefined
        ? new OriginBreakers(breakerFor, maxOrigins)
        : breakerPerOrigin !== undefined && breakerPerOrigin !== false
          ? new OriginBreakers(breakerPerOrigin === true ? {} : breakerPerOrigin, maxOrigins)
          : undefined
    this.#throttles =
      options.throttle === undefined
        ? new OriginThrottles(
            options.throttleFor ?? withPolicyTime(options.adaptiveThrottle, options.clock, options.random),
            maxOrigins,
          )
        : undefined
  }

  /**
   * The budget for requests to `origin` (`new URL(url).origin`): the origin's own
   * `TokenBudget`, or the shared budget given as `budget`, or `undefined` with `budget: null`.
   */
  budgetFor(origin: string): RetryBudget | undefined {
    if (this.#origins !== undefined) return this.#origins.for(origin)
    return this.#httpOptions.budget ?? undefined
  }

  /**
   * Credits the budget requests to `request.origin` use with a success — what the engine does
   * after a successful call, without looking the origin up while no origin's budget is short
   * (the adapters' success path). `request.origin` is read only when needed.
   */
  creditSuccess(request: { readonly origin: string }): void {
    if (this.#origins !== undefined) this.#origins.creditSuccess(request)
    else this.#httpOptions.budget?.recordSuccess()
  }

  /** Tokens left per origin, for health endpoints (empty with a shared budget or none). */
  budgets(): Record<string, number> {
    return this.#origins?.toJSON() ?? {}
  }

  /** True when each origin has its own circuit breaker (`breakerFor` or `breakerPerOrigin`). */
  get breakerPerOrigin(): boolean {
    return this.#breakers !== undefined
  }

  /**
   * The circuit breaker of requests to `origin` (`new URL(url).origin`): its own, made on first
   * use, with `breakerFor` or `breakerPerOrigin`; else `undefined` (the policy's
   * `circuitBreaker`, if any, serves every origin).
   */
  breakerFor(origin: string): CircuitBreakerLike | undefined {
    return this.#breakers?.for(origin)
  }

  /** Each remembered origin's breaker state, for health endpoints (empty without per-origin breakers). */
  breakers(): Record<string, CircuitState> {
    return this.#breakers?.toJSON() ?? {}
  }

  /** True when each origin has its own throttle (the default; `throttleFor`, `adaptiveThrottle`). */
  get throttlePerOrigin(): boolean {
    return this.#throttles !== undefined
  }

  /**
   * The throttle of requests to `origin` (`new URL(url).origin`): its own, made on first use; or
   * the shared one given as `throttle`; or `undefined` with `throttle: null`.
   */
  throttleFor(origin: string): AdmissionThrottle | undefined {
    if (this.#throttles !== undefined) return this.#throttles.for(origin)
    return this.#httpOptions.throttle ?? undefined
  }

  /**
   * The throttle of one adapter request's origin — what `throttleFor(run.origin)` answers, found
   * without parsing the request's URL when it goes to the same origin as the last one (the
   * adapters' success path). `undefined` without per-origin throttles.
   */
  throttleForRequest(run: OriginKeyed): AdmissionThrottle | undefined {
    return this.#throttles?.forRequest(run)
  }

  /** Each remembered origin's refusal probability now, for health endpoints (empty without per-origin throttles). */
  throttles(): Record<string, number> {
    return this.#throttles?.toJSON() ?? {}
  }

  override with(overrides: HttpPolicyOptions): HttpRetryPolicy {
    return httpPolicy({ ...this.#httpOptions, ...overrides })
  }
}

/**
 * The default HTTP policy: HTTP-aware classifier, `retryAfterOr(decorrelatedJitter())`
 * (the server's `Retry-After` wins, jittered, never shrunk), `maxAttempts` 3,
 * `maxRetryAfterMs` 60 000 (a longer server delay gives up at once), and per origin a
 * `TokenBudget` (20 tokens, 2 per success) and an `AdaptiveThrottle` (K = 2 over the latest 20
 * calls). Any `RetryOptions` field overrides; a `strategy` or `strategies` given is
 * still wrapped in `retryAfterOr`. Every adapter uses it when given no `policy`.
 *
 * @example
 * const policy = httpPolicy({ maxAttempts: 4, deadlineMs: 10_000 })
 * globalThis.fetch = redressFetch({ policy })
 */
export function httpPolicy(options: HttpPolicyOptions = {}): HttpRetryPolicy {
  optionsObject(OWNER, options)
  const {
    tokenBudget: _t,
    maxOrigins: _m,
    budget,
    budgetFor: _bf,
    breakerFor: _kf,
    breakerPerOrigin: _kp,
    throttle,
    adaptiveThrottle: _at,
    throttleFor: _tf,
    ...rest
  } = options
  checkPerOrigin(options)
  const maxRetryAfterMs = options.maxRetryAfterMs ?? HTTP_POLICY_DEFAULTS.maxRetryAfterMs
  // No cap inside retryAfterOr: the engine alone gives up on a server delay above the cap (the
  // policy's, or an adapter's per call), so a clamp here could only ever shorten a delay that an
  // adapter with a larger cap chose to honour.
  const wrap = (s: AnyStrategy): AnyStrategy => retryAfterOr(s)
  const strategies: Partial<Record<string, AnyStrategy>> | undefined =
    options.strategies === undefined
      ? undefined
      : Object.fromEntries(Object.entries(options.strategies).map(([k, v]) => [k, v === undefined ? v : wrap(v)]))
  const retryOptions: RetryOptions = {
    ...rest,
    classifier: options.classifier ?? httpClassifier,
    strategy:
      options.strategy !== undefined
        ? wrap(options.strategy)
        : options.strategies === undefined
          ? wrap(decorrelatedJitter())
          : undefined,
    maxAttempts: options.maxAttempts ?? HTTP_POLICY_DEFAULTS.maxAttempts,
    maxRetryAfterMs,
    budget: budget ?? undefined,
    throttle: throttle ?? undefined,
  }
  if (strategies !== undefined) retryOptions.strategies = strategies
  if (retryOptions.strategy === undefined) delete retryOptions.strategy
  return new HttpRetryPolicy(options, retryOptions)
}
