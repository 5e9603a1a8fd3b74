import type { CircuitBreakerLike } from '../breaker/CircuitBreakerLike.ts'
import type { RetryBudget } from '../budget/RetryBudget.ts'
import type { ResolvedHedge } from '../hedge/HedgeOptions.ts'
import type { AdmissionThrottle } from '../throttle/AdmissionThrottle.ts'
import type { HttpRequestSummary } from './HttpRequest.ts'
import type { HttpRequestRun } from './HttpRequestRun.ts'

/** The adapter-wide settings a request run reads (built once by `createHttpAdapter`). */
export interface HttpRunSettings {
  readonly namer: (request: HttpRequestSummary) => string
  readonly retryNonIdempotent: boolean
  readonly maxRetryAfterMs: number | undefined
  /** Credits the budget of a request to `run` with a success (looks the origin up only if it must). */
  readonly creditSuccess: (run: HttpRequestRun) => void
  /** The budget for failures of requests to `origin`: `null` for none, `undefined` for the policy's. */
  readonly budgetFor: ((origin: string) => RetryBudget | null) | undefined
  /**
   * The circuit breaker of requests to `origin`, when each origin has its own (then every request
   * is admitted by it before its first attempt); `undefined` for the policy's.
   */
  readonly breakerFor?: ((origin: string) => CircuitBreakerLike | undefined) | undefined
  /**
   * The client-side throttle of a request's origin, when each origin has its own: it admits the
   * request before its first attempt, on the success path too, so it must not parse the URL when
   * it can help it (see `HttpRetryPolicy.throttleForRequest`); `undefined` for the policy's.
   */
  readonly throttleFor?: ((run: HttpRequestRun) => AdmissionThrottle | undefined) | undefined
  /** The policy's hedging (`undefined` when off): a request may still turn it on with `redress.hedge`. */
  readonly hedge?: ResolvedHedge | undefined
}
