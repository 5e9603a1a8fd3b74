import type {
  BreakerAdmission,
  BreakerOutcome,
  CircuitBreakerLike,
  CircuitState,
} from '../breaker/CircuitBreakerLike.ts'
import { describeValue } from '../describeValue.ts'

/** One `record()` call seen by a {@link FakeCircuitBreaker}. */
export interface FakeBreakerRecord {
  /** The outcome the engine reported. */
  readonly outcome: BreakerOutcome
  /** The admission it reported it for. */
  readonly admission: BreakerAdmission
}

/** Options of {@link FakeCircuitBreaker}. */
export interface FakeCircuitBreakerOptions {
  /**
   * The initial state.
   * @default 'closed'
   */
  readonly state?: CircuitState | undefined
  /**
   * The `retryInMs` an open breaker's rejections carry, in milliseconds.
   * @default 30_000
   */
  readonly retryInMs?: number | undefined
}

const STATES: ReadonlySet<unknown> = new Set<CircuitState>(['closed', 'open', 'half_open'])

/**
 * A circuit breaker whose state you set, for testing how your code (and the engine)
 * reacts to it. It never trips on its own: closed admits everything, open rejects
 * everything, half-open admits one probe at a time. The only move it makes itself is
 * the probe's verdict in half-open (success → closed, failure → open, neutral → the
 * probe is released), so `circuit_closed`/`circuit_opened` paths can be driven too.
 * Every `admit()` answer and `record()` call is kept, in order.
 *
 * @example
 * const breaker = new FakeCircuitBreaker().open()
 * await expect(policy.call(fn)).rejects.toBeInstanceOf(CircuitOpenError)
 * expect(breaker.records).toEqual([])
 */
export class FakeCircuitBreaker implements CircuitBreakerLike {
  /** The `retryInMs` of rejections while open, in milliseconds. */
  retryInMs: number
  /** Every admission `admit()` handed out (rejections included), in order. */
  readonly admissions: BreakerAdmission[] = []
  /** Every `record()` call, in order. */
  readonly records: FakeBreakerRecord[] = []
  #state: CircuitState = 'closed'
  #probe: BreakerAdmission | undefined

  constructor(options: FakeCircuitBreakerOptions = {}) {
    const { state = 'closed', retryInMs = 30_000 } = options
    if (!STATES.has(state)) {
      throw new TypeError(
        `FakeCircuitBreaker: state must be 'closed', 'open' or 'half_open', got ${describeValue(state)}`,
      )
    }
    if (typeof retryInMs !== 'number' || !(retryInMs >= 0)) {
      throw new RangeError(`FakeCircuitBreaker: retryInMs must be a number >= 0, got ${describeValue(retryInMs)}`)
    }
    this.#state = state
    this.retryInMs = retryInMs
  }

  /** The current state; assign it, or use `open()`, `close()`, `halfOpen()`. Any probe in flight is forgotten. */
  get state(): CircuitState {
    return this.#state
  }

  set state(value: CircuitState) {
    if (!STATES.has(value)) {
      throw new TypeError(
        `FakeCircuitBreaker: state must be 'closed', 'open' or 'half_open', got ${describeValue(value)}`,
      )
    }
    this.#state = value
    this.#probe = undefined
  }

  /** Moves to open (every `admit()` is rejected). Returns `this`. */
  open(): this {
    return this.#set('open')
  }

  /** Moves to closed (every `admit()` is allowed). Returns `this`. */
  close(): this {
    return this.#set('closed')
  }

  /** Moves to half-open (the next `admit()` is the probe). Returns `this`. */
  halfOpen(): this {
    return this.#set('half_open')
  }

  /** Answers according to the current state, and keeps the answer in `admissions`. */
  admit(): BreakerAdmission {
    let admission: BreakerAdmission
    if (this.state === 'closed') admission = { allowed: true, probe: false }
    else if (this.state === 'open') admission = { allowed: false, probe: false, retryInMs: this.retryInMs }
    else if (this.#probe !== undefined) admission = { allowed: false, probe: false }
    else {
      admission = { allowed: true, probe: true }
      this.#probe = admission
    }
    this.admissions.push(admission)
    return admission
  }

  /** Keeps the call in `records`; in half-open, applies the probe's verdict. */
  record(outcome: BreakerOutcome, admission: BreakerAdmission): CircuitState | undefined {
    this.records.push({ outcome, admission })
    if (this.#state !== 'half_open' || admission !== this.#probe) return undefined
    this.#probe = undefined
    if (outcome.kind === 'success') return this.#set('closed').state
    if (outcome.kind === 'failure') return this.#set('open').state
    return undefined
  }

  #set(state: CircuitState): this {
    this.state = state
    return this
  }
}
