import type {
  BreakerAdmission,
  BreakerOutcome,
  CircuitBreakerLike,
  CircuitState,
} from '../breaker/CircuitBreakerLike.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import { isolate } from '../guard/isolate.ts'
import type { AdmissionThrottle } from '../throttle/AdmissionThrottle.ts'

/**
 * A run's gates: the call's breaker and throttle (each a per-origin one, or the policy's), asked
 * for admission before the first attempt and told once how the call ended. Every call into a gate
 * is isolated (`isolate`). Made only for a run that has a gate; `Run` reports what they answer.
 */
export class RunGates {
  readonly breaker: CircuitBreakerLike | undefined
  // Told once how the call ended, then dropped.
  #throttle: AdmissionThrottle | undefined
  // The breaker's admission of this call, until the breaker is told the call's outcome.
  #admission: BreakerAdmission | undefined = undefined

  constructor(breaker: CircuitBreakerLike | undefined, throttle: AdmissionThrottle | undefined) {
    this.breaker = breaker
    this.#throttle = throttle
  }

  /** False when the throttle refuses the call (a throttle that throws admits it). */
  throttleAdmits(): boolean {
    const throttle = this.#throttle
    return throttle === undefined || isolate(true, throttle.admit, throttle) !== false
  }

  /** The breaker's answer (`undefined` without a breaker or an answer); kept, when it admits, for `finishBreaker`. */
  breakerAdmission(): BreakerAdmission | undefined {
    const breaker = this.breaker
    if (breaker === undefined) return undefined
    const admission = isolate(undefined, breaker.admit, breaker) as BreakerAdmission | undefined
    if (admission === undefined || admission === null) return undefined
    if (admission.allowed) this.#admission = admission
    return admission
  }

  /** The throttle refused: drops it (it counted the refusal itself) and returns its rejection probability, if it has one. */
  refused(): number | undefined {
    const throttle = this.#throttle
    this.#throttle = undefined
    const p = isolate(undefined, () => (throttle as { readonly rejectionProbability?: unknown }).rejectionProbability)
    return typeof p === 'number' ? p : undefined
  }

  /** The state of the breaker (`undefined` without one); a breaker whose state cannot be read is not closed. */
  get breakerState(): CircuitState | undefined {
    const breaker = this.breaker
    if (breaker === undefined) return undefined
    const state = isolate(undefined, () => breaker.state)
    return typeof state === 'string' ? state : 'open'
  }

  /** Tells the throttle, once, how the call ended: a success (`undefined`) or its last failure's class. */
  finishThrottle(errorClass: ErrorClass | undefined): void {
    const throttle = this.#throttle
    if (throttle === undefined) return
    this.#throttle = undefined
    if (errorClass === undefined) isolate(undefined, throttle.recordSuccess, throttle)
    else isolate(undefined, throttle.recordFailure, throttle, errorClass)
  }

  /** Drops the throttle untold: the call says nothing about the backend. */
  dropThrottle(): void {
    this.#throttle = undefined
  }

  /** Tells the breaker, once, the outcome of the call it admitted; returns the transition it made, if any. */
  finishBreaker(outcome: BreakerOutcome): CircuitState | undefined {
    const breaker = this.breaker
    const admission = this.#admission
    if (breaker === undefined || admission === undefined) return undefined
    this.#admission = undefined
    return isolate(undefined, breaker.record, breaker, outcome, admission) as CircuitState | undefined
  }
}
