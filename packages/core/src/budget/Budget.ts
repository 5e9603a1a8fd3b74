import { type Clock, systemClock } from '../Clock.ts'
import { describeValue } from '../describeValue.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import { clockOption, msOption, numberOption, optionNames, optionsObject } from '../guard/validate.ts'
import type { RetryBudget } from './RetryBudget.ts'

const OWNER = 'Budget'
const KNOWN: ReadonlySet<string> = optionNames<BudgetOptions>({ maxRetries: true, windowMs: true, clock: true })

/** Options of {@link Budget}. Both limits are required: there is no safe universal default. */
export interface BudgetOptions {
  /**
   * How many retries may be granted within any rolling `windowMs`. A non-negative
   * integer; `0` refuses every retry.
   * @example 100
   */
  readonly maxRetries: number
  /**
   * The length of the rolling window, in milliseconds. Finite and greater than 0.
   * @example 60_000
   */
  readonly windowMs: number
  /**
   * Where time is read from (only `now()` is used).
   * @default systemClock
   */
  readonly clock?: Clock | undefined
}

/** What {@link Budget} shows a health endpoint. Plain data, safe to serialise. */
export interface BudgetView {
  /** The configured cap on retries per window. */
  readonly maxRetries: number
  /** The configured window, in milliseconds. */
  readonly windowMs: number
  /** Retries granted within the last `windowMs`. */
  readonly used: number
  /** Retries that would still be granted now (`maxRetries - used`). */
  readonly available: number
}

/** The smallest backing array; it doubles on demand up to `maxRetries`. */
const INITIAL_CAPACITY = 16

/**
 * A rolling-window retry budget, as in Python redress: at most `maxRetries` retries
 * are granted within any `windowMs`. Only granted retries are counted; successes and
 * failures are ignored. One instance may be shared by many policies and adapters, so a
 * fleet-wide outage drains one pool instead of each caller retrying on its own.
 *
 * Every call is O(1) amortised: granted retries sit in a ring buffer, oldest first, and
 * expired ones are dropped from its head.
 *
 * @example
 * const budget = new Budget({ maxRetries: 100, windowMs: 60_000 })
 * const policy = new RetryPolicy({ budget })
 */
export class Budget implements RetryBudget {
  /** The cap on retries per window. */
  readonly maxRetries: number
  /** The window length, in milliseconds. */
  readonly windowMs: number
  readonly #clock: Clock
  #ring: Float64Array
  #head = 0
  #size = 0

  constructor(options: BudgetOptions) {
    if (options === undefined) throw new TypeError('Budget: options must be an object with maxRetries and windowMs')
    const o = optionsObject(OWNER, options, KNOWN) as unknown as BudgetOptions
    const maxRetries = numberOption(OWNER, 'maxRetries', o.maxRetries, { min: 0, integer: true, unit: 'retries' })
    const windowMs = msOption(OWNER, 'windowMs', o.windowMs)
    if (maxRetries === undefined || windowMs === undefined) {
      throw new RangeError(
        `Budget: maxRetries and windowMs are required, got ${describeValue(maxRetries)} and ${describeValue(windowMs)}`,
      )
    }
    const clock = clockOption(OWNER, o.clock) ?? systemClock
    this.maxRetries = maxRetries
    this.windowMs = windowMs
    this.#clock = clock
    this.#ring = new Float64Array(Math.min(INITIAL_CAPACITY, maxRetries))
  }

  /** Grants and records one retry when fewer than `maxRetries` were granted within the last `windowMs`. */
  tryAcquire(): boolean {
    const now = this.#clock.now()
    this.#expire(now)
    if (this.#size >= this.maxRetries) return false
    if (this.#size === this.#ring.length) this.#grow()
    this.#ring[(this.#head + this.#size) % this.#ring.length] = now
    this.#size++
    return true
  }

  /** Ignored: this budget counts granted retries only. */
  recordSuccess(): void {}

  /** Ignored: this budget counts granted retries only. */
  recordFailure(_errorClass: ErrorClass): void {}

  /** Retries granted within the last `windowMs`. */
  get used(): number {
    this.#expire(this.#clock.now())
    return this.#size
  }

  /** Retries that would still be granted now. */
  get available(): number {
    return this.maxRetries - this.used
  }

  /** A plain snapshot for health endpoints (also what `JSON.stringify(budget)` writes). */
  toJSON(): BudgetView {
    const used = this.used
    return { maxRetries: this.maxRetries, windowMs: this.windowMs, used, available: this.maxRetries - used }
  }

  #expire(now: number): void {
    // A retry granted at `t` is inside the window while now - t < windowMs.
    const cutoff = now - this.windowMs
    const ring = this.#ring
    while (this.#size > 0 && (ring[this.#head] ?? cutoff) <= cutoff) {
      this.#head = (this.#head + 1) % ring.length
      this.#size--
    }
  }

  #grow(): void {
    const old = this.#ring
    const next = new Float64Array(Math.min(Math.max(1, old.length * 2), this.maxRetries))
    for (let i = 0; i < this.#size; i++) next[i] = old[(this.#head + i) % old.length] ?? 0
    this.#ring = next
    this.#head = 0
  }
}
