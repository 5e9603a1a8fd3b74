import type {
  BreakerAdmission,
  BreakerOutcome,
  CircuitBreakerLike,
  CircuitState,
} from '../breaker/CircuitBreakerLike.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import { isolate } from '../guard/isolate.ts'
import type { AdmissionThrottle } from '../throttle/AdmissionThrottle.ts'
import type { CallOptions } from './RetryOptions.ts'
import { type ResolvedPolicy, throttleOf } from './resolveOptions.ts'

/**
 * The gates a run passes before its first attempt, and tells once how it ended: the call's
 * admission throttle and circuit breaker (a per-origin one, or the policy's). Every call into
 * them is isolated: a gate that throws admits, and a breaker whose state cannot be read is not
 * closed. Breaker transitions are reported through `transition` (the run emits the events).
 */
export class RunGates {
  readonly breaker: CircuitBreakerLike | undefined
  // Told once how the call ended, then forgotten.
  #throttle: AdmissionThrottle | undefined
  #admission: BreakerAdmission | undefined = undefined
  readonly #transition: (state: CircuitState, errorClass?: ErrorClass) => void

  constructor(
    policy: ResolvedPolicy,
    call: CallOptions | undefined,
    transition: (state: CircuitState, errorClass?: ErrorClass) => void,
  ) {
    this.breaker = call?.circuitBreaker ?? policy.circuitBreaker
    this.#throttle = throttleOf(policy, call)
    this.#transition = transition
  }

  /** False when the throttle refuses the call (it counted the refusal itself). */
  throttleAdmits(): boolean {
    const throttle = this.#throttle
    return throttle === undefined || isolate(true, throttle.admit, throttle) !== false
  }

  /** After a refusal: forgets the throttle (it is told nothing more) and returns its rejection probability. */
  refused(): number | undefined {
    const throttle = this.#throttle
    this.#throttle = undefined
    const p = isolate(undefined, () => (throttle as { readonly rejectionProbability?: unknown }).rejectionProbability)
    return typeof p === 'number' ? p : undefined
  }

  /** Asks the breaker for admission: the refusing admission when it is open, else `undefined`. */
  breakerRefusal(): BreakerAdmission | undefined {
    const breaker = this.breaker
    if (breaker === undefined) return undefined
    const admission = isolate(undefined, breaker.admit, breaker) as BreakerAdmission | undefined
    if (admission === undefined || admission === null) return undefined
    if (admission.transition !== undefined) this.#transition(admission.transition)
    if (!admission.allowed) return admission
    this.#admission = admission
    return undefined
  }

  /** The breaker's state (`undefined` without one); a breaker whose state cannot be read is not closed. */
  get breakerState(): CircuitState | undefined {
    const breaker = this.breaker
    if (breaker === undefined) return undefined
    const state = isolate(undefined, () => breaker.state)
    return typeof state === 'string' ? state : 'open'
  }

  /**
   * Tells the throttle, once, how the call ended: a success (`undefined`), its last failure's
   * class, or nothing at all (`null`: an aborted or deferred call says nothing about the backend).
   */
  finishThrottle(errorClass: ErrorClass | undefined | null): void {
    const throttle = this.#throttle
    if (throttle === undefined) return
    this.#throttle = undefined
    if (errorClass === null) return
    if (errorClass === undefined) isolate(undefined, throttle.recordSuccess, throttle)
    else isolate(undefined, throttle.recordFailure, throttle, errorClass)
  }

  /** Tells the breaker, once, how the admitted call ended; reports the transition it made. */
  finishBreaker(outcome: BreakerOutcome): void {
    const breaker = this.breaker
    const admission = this.#admission
    if (breaker === undefined || admission === undefined) return
    this.#admission = undefined
    const changed = isolate(undefined, breaker.record, breaker, outcome, admission) as CircuitState | undefined
    if (changed !== undefined) this.#transition(changed, outcome.kind === 'failure' ? outcome.errorClass : undefined)
  }
}
