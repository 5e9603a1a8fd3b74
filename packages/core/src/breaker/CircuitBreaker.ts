import type { Clock } from '../Clock.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import { type CircuitBreakerSnapshot, parseSnapshot } from './breakerSnapshot.ts'
import type { BreakerAdmission, BreakerOutcome, CircuitBreakerLike, CircuitState } from './CircuitBreakerLike.ts'
import { type CircuitBreakerOptions, resolveBreakerOptions } from './CircuitBreakerOptions.ts'
import { FailureWindow } from './FailureWindow.ts'

export type { CircuitBreakerSnapshot, CircuitBreakerSnapshotFailure } from './breakerSnapshot.ts'
export { CIRCUIT_BREAKER_DEFAULTS, type CircuitBreakerOptions } from './CircuitBreakerOptions.ts'

const ADMITTED: BreakerAdmission = Object.freeze({ allowed: true, probe: false })

/**
 * A circuit breaker counting failures by error class: closed → open when failures of
 * trip classes within `windowMs` reach `failureThreshold` (or one class reaches its own
 * `classThresholds` entry); open → half-open on the first `admit()` after
 * `recoveryTimeoutMs`, which lets exactly one probe through while every other
 * operation is rejected; the probe's outcome decides:
 *
 * - success, or a failure of a class that does not trip (the server answered) → closed;
 * - a failure of a trip class → open again, with a fresh recovery timeout;
 * - neutral (aborted or deferred) → the probe is released and the next `admit()` gets it.
 *
 * It records one outcome per operation, not per attempt. Outcomes of operations that
 * were admitted while closed still count while the breaker is closed (a success does
 * not erase earlier failures: the count is per window, not consecutive); while it is
 * open or half-open they are ignored, so only the probe can close it.
 *
 * @example
 * const breaker = new CircuitBreaker({ failureThreshold: 5, recoveryTimeoutMs: 30_000 })
 * const policy = new RetryPolicy({ circuitBreaker: breaker })
 * app.get('/health', (_req, res) => res.json({ upstream: breaker.state }))
 */
export class CircuitBreaker implements CircuitBreakerLike {
  /** Failures of trip classes within `windowMs` that open the breaker. */
  readonly failureThreshold: number
  /** The failure-counting window, in milliseconds. */
  readonly windowMs: number
  /** How long the breaker stays open before a probe, in milliseconds. */
  readonly recoveryTimeoutMs: number
  /** The classes that trip the breaker (`tripOn` plus the keys of `classThresholds`). */
  readonly tripOn: ReadonlySet<ErrorClass>
  /** Per-class thresholds. */
  readonly classThresholds: Readonly<Partial<Record<ErrorClass, number>>>
  readonly #clock: Clock
  #state: CircuitState = 'closed'
  #openedAt = 0
  #probe: BreakerAdmission | undefined
  readonly #window: FailureWindow

  constructor(options: CircuitBreakerOptions = {}) {
    const o = resolveBreakerOptions(options)
    this.failureThreshold = o.failureThreshold
    this.windowMs = o.windowMs
    this.recoveryTimeoutMs = o.recoveryTimeoutMs
    this.tripOn = o.tripOn
    this.classThresholds = o.classThresholds
    this.#clock = o.clock
    this.#window = new FailureWindow(o.windowMs, o.failureThreshold, o.classThresholds)
  }

  /**
   * A breaker built from `options` and resumed from a {@link CircuitBreakerSnapshot}
   * (typically parsed from JSON saved by an earlier process). The wall-clock time since
   * `savedAt` is taken off every age; failures that have left the window, or whose class
   * no longer trips under `options`, are dropped. If the restored failures already reach
   * a threshold under `options`, the breaker starts open.
   *
   * @throws TypeError naming the first malformed field of the snapshot.
   */
  static restore(snapshot: unknown, options: CircuitBreakerOptions = {}): CircuitBreaker {
    const breaker = new CircuitBreaker(options)
    breaker.#load(parseSnapshot(snapshot))
    return breaker
  }

  /** The current state. Reading it never changes it: open → half-open happens in `admit()`. */
  get state(): CircuitState {
    return this.#state
  }

  /**
   * Asks whether an operation may start. Closed: yes. Open: no (with `retryInMs`) until
   * `recoveryTimeoutMs` has passed, then the breaker turns half-open and this operation
   * is the probe. Half-open: only when no probe is in flight.
   */
  admit(): BreakerAdmission {
    if (this.#state === 'closed') return ADMITTED
    const now = this.#clock.now()
    if (this.#state === 'open') {
      const retryInMs = this.#openedAt + this.recoveryTimeoutMs - now
      if (retryInMs > 0) return { allowed: false, probe: false, retryInMs }
      this.#state = 'half_open'
      this.#probe = { allowed: true, probe: true, transition: 'half_open' }
      return this.#probe
    }
    if (this.#probe !== undefined) return { allowed: false, probe: false }
    this.#probe = { allowed: true, probe: true }
    return this.#probe
  }

  /** Records how an admitted operation ended; returns the state entered, if it changed. */
  record(outcome: BreakerOutcome, admission: BreakerAdmission): CircuitState | undefined {
    if (this.#state === 'half_open') {
      // Only the probe in flight decides; stale probes and earlier operations do not.
      if (admission !== this.#probe) return undefined
      this.#probe = undefined
      if (outcome.kind === 'failure') {
        if (this.tripOn.has(outcome.errorClass)) return this.#open(this.#clock.now())
        return this.#close()
      }
      if (outcome.kind === 'success') return this.#close()
      return undefined
    }
    if (this.#state === 'open' || !admission.allowed || outcome.kind !== 'failure') return undefined
    const { errorClass } = outcome
    if (!this.tripOn.has(errorClass)) return undefined
    const now = this.#clock.now()
    this.#window.push({ at: now, errorClass })
    return this.#window.reachedThreshold(now) ? this.#open(now) : undefined
  }

  /** The breaker's state as plain JSON data; see {@link CircuitBreakerSnapshot}. */
  snapshot(): CircuitBreakerSnapshot {
    const now = this.#clock.now()
    const savedAt = Date.now()
    if (this.#state === 'open') {
      return { version: 1, state: 'open', failures: [], openedAgoMs: Math.max(0, now - this.#openedAt), savedAt }
    }
    if (this.#state === 'closed') this.#window.expire(now)
    const failures = this.#window.entries().map((f) => ({ errorClass: f.errorClass, ageMs: Math.max(0, now - f.at) }))
    return { version: 1, state: this.#state, failures, savedAt }
  }

  /** The same as {@link snapshot}, so `JSON.stringify(breaker)` persists it. */
  toJSON(): CircuitBreakerSnapshot {
    return this.snapshot()
  }

  #open(now: number): CircuitState {
    this.#state = 'open'
    this.#openedAt = now
    this.#probe = undefined
    this.#window.clear()
    return 'open'
  }

  #close(): CircuitState {
    this.#state = 'closed'
    this.#probe = undefined
    this.#window.clear()
    return 'closed'
  }

  #load(snapshot: CircuitBreakerSnapshot): void {
    const now = this.#clock.now()
    // A wall clock that went backwards must not push anything into the future.
    const elapsed = Math.max(0, Date.now() - snapshot.savedAt)
    if (snapshot.state === 'open') {
      this.#state = 'open'
      this.#openedAt = now - (snapshot.openedAgoMs ?? 0) - elapsed
      return
    }
    this.#state = snapshot.state
    if (snapshot.state !== 'closed') return
    const entries = snapshot.failures
      .filter((f) => this.tripOn.has(f.errorClass))
      .map((f) => ({ at: now - f.ageMs - elapsed, errorClass: f.errorClass }))
      .sort((a, b) => a.at - b.at)
    for (const entry of entries) this.#window.push(entry)
    if (this.#window.reachedThreshold(now)) this.#open(now)
  }
}
