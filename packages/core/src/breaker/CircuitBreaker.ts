import { type Clock, systemClock } from '../Clock.ts'
import { describeValue } from '../describeValue.ts'
import { ErrorClass, isErrorClass } from '../ErrorClass.ts'
import type { BreakerAdmission, BreakerOutcome, CircuitBreakerLike, CircuitState } from './CircuitBreakerLike.ts'

/** Options of {@link CircuitBreaker}. */
export interface CircuitBreakerOptions {
  /**
   * Failures of trip classes within `windowMs` that open the breaker. An integer ≥ 1.
   * @default 5
   */
  readonly failureThreshold?: number | undefined
  /**
   * How far back failures are counted, in milliseconds. Finite and > 0.
   * @default 60_000
   */
  readonly windowMs?: number | undefined
  /**
   * How long the breaker stays open before it lets one probe through, in
   * milliseconds. Finite and ≥ 0.
   * @default 30_000
   */
  readonly recoveryTimeoutMs?: number | undefined
  /**
   * The error classes whose failures count towards `failureThreshold` and re-open the
   * breaker from half-open. Other failures mean the server answered (a 404 is an
   * answer), so they count as neither.
   * @default [ErrorClass.TRANSIENT, ErrorClass.SERVER_ERROR]
   */
  readonly tripOn?: readonly ErrorClass[] | undefined
  /**
   * Per-class thresholds (integers ≥ 1): the breaker also opens when failures of that
   * one class within `windowMs` reach its threshold. A class listed here is a trip
   * class, so it also counts towards `failureThreshold`; a threshold above
   * `failureThreshold` therefore never fires on its own.
   * @default {}
   * @example { [ErrorClass.RATE_LIMIT]: 2 }
   */
  readonly classThresholds?: Partial<Record<ErrorClass, number>> | undefined
  /**
   * Where time is read from (only `now()` is used).
   * @default systemClock
   */
  readonly clock?: Clock | undefined
}

/** The defaults of {@link CircuitBreakerOptions}. */
export const CIRCUIT_BREAKER_DEFAULTS: {
  readonly failureThreshold: 5
  readonly windowMs: 60_000
  readonly recoveryTimeoutMs: 30_000
  readonly tripOn: readonly ErrorClass[]
} = Object.freeze({
  failureThreshold: 5,
  windowMs: 60_000,
  recoveryTimeoutMs: 30_000,
  tripOn: Object.freeze([ErrorClass.TRANSIENT, ErrorClass.SERVER_ERROR]),
})

/** One failure counted by a closed breaker, as persisted. */
export interface CircuitBreakerSnapshotFailure {
  /** The failure's class. */
  readonly errorClass: ErrorClass
  /** How long before `savedAt` the failure was recorded, in milliseconds. */
  readonly ageMs: number
}

/**
 * A breaker's state as plain JSON data, for processes that restart often
 * (serverless). Times are ages relative to the moment of the snapshot plus a wall-clock
 * `savedAt`, because the monotonic clock of the process that restores it is unrelated.
 * A probe in flight is not persisted: a restored half-open breaker hands the probe to
 * its next `admit()`.
 */
export interface CircuitBreakerSnapshot {
  /** The format version. */
  readonly version: 1
  /** The state at the moment of the snapshot. */
  readonly state: CircuitState
  /** Failures counted within the window, oldest first (empty unless closed). */
  readonly failures: readonly CircuitBreakerSnapshotFailure[]
  /** When open: milliseconds since the breaker opened. */
  readonly openedAgoMs?: number | undefined
  /** Wall-clock time of the snapshot (`Date.now()`), in milliseconds since the epoch. */
  readonly savedAt: number
}

interface FailureEntry {
  readonly at: number
  readonly errorClass: ErrorClass
}

const ADMITTED: BreakerAdmission = Object.freeze({ allowed: true, probe: false })
const STATES: ReadonlySet<string> = new Set<CircuitState>(['closed', 'open', 'half_open'])

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
  // Failures in the window, oldest first, from #head on. It never holds more than
  // failureThreshold entries, because reaching that many opens the breaker and clears it.
  #failures: FailureEntry[] = []
  #head = 0
  readonly #classCounts = new Map<ErrorClass, number>()

  constructor(options: CircuitBreakerOptions = {}) {
    if (typeof options !== 'object' || options === null) {
      throw new TypeError(`CircuitBreaker: options must be an object, got ${describeValue(options)}`)
    }
    const {
      failureThreshold = CIRCUIT_BREAKER_DEFAULTS.failureThreshold,
      windowMs = CIRCUIT_BREAKER_DEFAULTS.windowMs,
      recoveryTimeoutMs = CIRCUIT_BREAKER_DEFAULTS.recoveryTimeoutMs,
      tripOn = CIRCUIT_BREAKER_DEFAULTS.tripOn,
      classThresholds = {},
      clock = systemClock,
    } = options
    if (typeof failureThreshold !== 'number' || !Number.isInteger(failureThreshold) || failureThreshold < 1) {
      throw new RangeError(
        `CircuitBreaker: failureThreshold must be an integer >= 1, got ${describeValue(failureThreshold)}`,
      )
    }
    if (typeof windowMs !== 'number' || !Number.isFinite(windowMs) || windowMs <= 0) {
      throw new RangeError(
        `CircuitBreaker: windowMs must be a finite number of milliseconds > 0, got ${describeValue(windowMs)}`,
      )
    }
    if (typeof recoveryTimeoutMs !== 'number' || !Number.isFinite(recoveryTimeoutMs) || recoveryTimeoutMs < 0) {
      throw new RangeError(
        `CircuitBreaker: recoveryTimeoutMs must be a finite number of milliseconds >= 0, got ${describeValue(recoveryTimeoutMs)}`,
      )
    }
    if (!Array.isArray(tripOn)) {
      throw new TypeError(`CircuitBreaker: tripOn must be an array of error classes, got ${describeValue(tripOn)}`)
    }
    const trip = new Set<ErrorClass>()
    tripOn.forEach((c: unknown, i) => {
      if (!isErrorClass(c))
        throw new TypeError(`CircuitBreaker: tripOn[${i}] is not an error class: ${describeValue(c)}`)
      trip.add(c)
    })
    if (typeof classThresholds !== 'object' || classThresholds === null || Array.isArray(classThresholds)) {
      throw new TypeError(
        `CircuitBreaker: classThresholds must be an object of error class → threshold, got ${describeValue(classThresholds)}`,
      )
    }
    const thresholds: Partial<Record<ErrorClass, number>> = {}
    for (const [key, value] of Object.entries(classThresholds)) {
      if (!isErrorClass(key))
        throw new TypeError(
          `CircuitBreaker: classThresholds has a key that is not an error class: ${describeValue(key)}`,
        )
      if (value === undefined) continue
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
        throw new RangeError(
          `CircuitBreaker: classThresholds.${key} must be an integer >= 1, got ${describeValue(value)}`,
        )
      }
      thresholds[key] = value
      trip.add(key)
    }
    if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function') {
      throw new TypeError(`CircuitBreaker: clock must be an object with a now() method, got ${describeValue(clock)}`)
    }
    this.failureThreshold = failureThreshold
    this.windowMs = windowMs
    this.recoveryTimeoutMs = recoveryTimeoutMs
    this.tripOn = trip
    this.classThresholds = Object.freeze(thresholds)
    this.#clock = clock
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
    this.#push({ at: now, errorClass })
    return this.#reachedThreshold(now) ? this.#open(now) : undefined
  }

  /** The breaker's state as plain JSON data; see {@link CircuitBreakerSnapshot}. */
  snapshot(): CircuitBreakerSnapshot {
    const now = this.#clock.now()
    const savedAt = Date.now()
    if (this.#state === 'open') {
      return { version: 1, state: 'open', failures: [], openedAgoMs: Math.max(0, now - this.#openedAt), savedAt }
    }
    if (this.#state === 'closed') this.#expire(now)
    const failures = this.#failures
      .slice(this.#head)
      .map((f) => ({ errorClass: f.errorClass, ageMs: Math.max(0, now - f.at) }))
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
    this.#clearFailures()
    return 'open'
  }

  #close(): CircuitState {
    this.#state = 'closed'
    this.#probe = undefined
    this.#clearFailures()
    return 'closed'
  }

  #push(entry: FailureEntry): void {
    this.#failures.push(entry)
    this.#classCounts.set(entry.errorClass, (this.#classCounts.get(entry.errorClass) ?? 0) + 1)
  }

  #reachedThreshold(now: number): boolean {
    this.#expire(now)
    if (this.#failures.length - this.#head >= this.failureThreshold) return true
    for (const [errorClass, count] of this.#classCounts) {
      const threshold = this.classThresholds[errorClass]
      if (threshold !== undefined && count >= threshold) return true
    }
    return false
  }

  #expire(now: number): void {
    const cutoff = now - this.windowMs
    const failures = this.#failures
    while (this.#head < failures.length) {
      const oldest = failures[this.#head]
      if (oldest === undefined || oldest.at > cutoff) break
      this.#classCounts.set(oldest.errorClass, (this.#classCounts.get(oldest.errorClass) ?? 1) - 1)
      this.#head++
    }
    if (this.#head > 0 && this.#head * 2 >= failures.length) {
      this.#failures = failures.slice(this.#head)
      this.#head = 0
    }
  }

  #clearFailures(): void {
    this.#failures = []
    this.#head = 0
    this.#classCounts.clear()
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
    for (const entry of entries) this.#push(entry)
    if (this.#reachedThreshold(now)) this.#open(now)
  }
}

function parseSnapshot(value: unknown): CircuitBreakerSnapshot {
  const where = 'CircuitBreaker.restore: snapshot'
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${where} must be an object from breaker.snapshot(), got ${describeValue(value)}`)
  }
  const { version, state, failures, openedAgoMs, savedAt } = value as Record<string, unknown>
  if (version !== 1) throw new TypeError(`${where}.version must be 1, got ${describeValue(version)}`)
  if (typeof state !== 'string' || !STATES.has(state)) {
    throw new TypeError(`${where}.state must be 'closed', 'open' or 'half_open', got ${describeValue(state)}`)
  }
  if (typeof savedAt !== 'number' || !Number.isFinite(savedAt)) {
    throw new TypeError(`${where}.savedAt must be a finite number (Date.now()), got ${describeValue(savedAt)}`)
  }
  if (!Array.isArray(failures))
    throw new TypeError(`${where}.failures must be an array, got ${describeValue(failures)}`)
  const parsed = failures.map((f: unknown, i): CircuitBreakerSnapshotFailure => {
    if (typeof f !== 'object' || f === null) {
      throw new TypeError(`${where}.failures[${i}] must be an object, got ${describeValue(f)}`)
    }
    const { errorClass, ageMs } = f as Record<string, unknown>
    if (!isErrorClass(errorClass)) {
      throw new TypeError(`${where}.failures[${i}].errorClass is not an error class: ${describeValue(errorClass)}`)
    }
    if (!isDuration(ageMs)) {
      throw new TypeError(`${where}.failures[${i}].ageMs must be a finite number >= 0, got ${describeValue(ageMs)}`)
    }
    return { errorClass, ageMs }
  })
  if (state === 'open') {
    if (!isDuration(openedAgoMs)) {
      throw new TypeError(
        `${where}.openedAgoMs must be a finite number >= 0 when open, got ${describeValue(openedAgoMs)}`,
      )
    }
    return { version, state, failures: parsed, openedAgoMs, savedAt }
  }
  if (openedAgoMs !== undefined) {
    throw new TypeError(
      `${where}.openedAgoMs must be absent unless the state is 'open', got ${describeValue(openedAgoMs)}`,
    )
  }
  return { version, state: state as CircuitState, failures: parsed, savedAt }
}

function isDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
