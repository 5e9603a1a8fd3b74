import type { ErrorClass } from '../ErrorClass.ts'

/** The state of a circuit breaker, as exposed for health endpoints. */
export type CircuitState = 'closed' | 'open' | 'half_open'

/** The breaker's answer when an operation asks to start. */
export interface BreakerAdmission {
  /** Whether the operation may run. */
  readonly allowed: boolean
  /** True when this operation is the single half-open probe. */
  readonly probe: boolean
  /** The state this admission moved the breaker into (e.g. `'half_open'`), if it changed. */
  readonly transition?: CircuitState | undefined
  /** When rejected: milliseconds until the breaker will let a probe through. */
  readonly retryInMs?: number | undefined
}

/**
 * How an operation ended, as the breaker counts it: one outcome per operation, not
 * per attempt. `neutral` (aborted or deferred) is neither a success nor a failure and
 * releases the probe.
 */
export type BreakerOutcome =
  | { readonly kind: 'success' }
  | { readonly kind: 'failure'; readonly errorClass: ErrorClass }
  | { readonly kind: 'neutral' }

/**
 * The interface the engine calls on a circuit breaker. `CircuitBreaker` implements
 * it; so does `FakeCircuitBreaker` from `@redress/core/testing`.
 */
export interface CircuitBreakerLike {
  /** The current state. */
  readonly state: CircuitState
  /** Asked once before an operation's first attempt. */
  admit(): BreakerAdmission
  /** Called once when an admitted operation ends; returns the state entered if it changed. */
  record(outcome: BreakerOutcome, admission: BreakerAdmission): CircuitState | undefined
}
