import { type Clock, systemClock } from '../Clock.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import { clockOption, msOption, numberOption, optionNames, optionsObject } from '../guard/validate.ts'
import type { RetryBudget } from './RetryBudget.ts'
import { SlidingWindowCount } from './SlidingWindowCount.ts'

const OWNER = 'RatioBudget'
const KNOWN: ReadonlySet<string> = optionNames<RatioBudgetOptions>({
  ratio: true,
  windowMs: true,
  minRetriesPerSecond: true,
  clock: true,
})

/** Options of {@link RatioBudget}. The defaults are Finagle's `RetryBudget`'s. */
export interface RatioBudgetOptions {
  /**
   * Retries allowed per first attempt within the window, in [0, 10]: 0.2 lets at most one
   * retry for every five requests.
   * @default 0.2
   */
  readonly ratio?: number | undefined
  /**
   * How long a request and a retry count, in milliseconds (finite, > 0). Kept in 10 slices, so
   * memory is fixed whatever the traffic.
   * @default 10000
   */
  readonly windowMs?: number | undefined
  /**
   * Retries allowed per second on top of the ratio (a floor for clients that send little), as a
   * rate averaged over the window. Finite and >= 0.
   * @default 10
   */
  readonly minRetriesPerSecond?: number | undefined
  /** Where time is read from (only `now()` is used). @default systemClock */
  readonly clock?: Clock | undefined
}

/** What {@link RatioBudget} shows a health endpoint. Plain data, safe to serialise. */
export interface RatioBudgetView {
  /** Retries allowed per first attempt. */
  readonly ratio: number
  /** The window, in milliseconds. */
  readonly windowMs: number
  /** The floor, in retries per second. */
  readonly minRetriesPerSecond: number
  /** First attempts within the window. */
  readonly requests: number
  /** Retries granted within the window. */
  readonly retries: number
  /** Whether `tryAcquire()` would grant a retry now. */
  readonly retriesAllowed: boolean
}

/** The defaults of {@link RatioBudgetOptions}, from Finagle's `RetryBudget`. */
export const RATIO_BUDGET_DEFAULTS: {
  readonly ratio: 0.2
  readonly windowMs: 10_000
  readonly minRetriesPerSecond: 10
} = Object.freeze({ ratio: 0.2, windowMs: 10_000, minRetriesPerSecond: 10 } as const)

const SLICES = 10

/**
 * A ratio-of-requests retry budget, as Finagle's `RetryBudget`: within any `windowMs`, retries
 * are granted while they stay within `ratio` × the first attempts made in that window, plus
 * `minRetriesPerSecond` × the window in seconds. Unlike a token bucket it does not look at how
 * many attempts fail: while failures are rare every one may be retried, and however many fail,
 * retries never add more than `ratio` to the load (plus the floor). So it keeps retrying through
 * a partial failure (one bad backend of three) up to its ratio, and in a total outage the load
 * it adds is `ratio`, not zero.
 *
 * First attempts are counted as attempts that ended (every `recordSuccess`/`recordFailure`)
 * minus the retries granted. Cheap when healthy: while no attempt failed within the window,
 * `recordSuccess()` only bumps a counter (no clock read); the tally is spread over the quiet
 * time at the next failure. Memory is fixed: two rings of 10 numbers.
 *
 * @example
 * const policy = httpPolicy({ budgetFor: () => new RatioBudget({ ratio: 0.2, minRetriesPerSecond: 1 }) })
 */
export class RatioBudget implements RetryBudget {
  /** Retries allowed per first attempt. */
  readonly ratio: number
  /** The window, in milliseconds. */
  readonly windowMs: number
  /** The floor, in retries per second. */
  readonly minRetriesPerSecond: number
  readonly #clock: Clock
  readonly #attempts: SlidingWindowCount
  readonly #retries: SlidingWindowCount
  readonly #floor: number
  #quiet = true
  #quietSinceMs: number
  #quietAttempts = 0
  #lastFailureMs = Number.NEGATIVE_INFINITY

  /** @throws TypeError/RangeError naming the option, for any invalid option. */
  constructor(options: RatioBudgetOptions = {}) {
    const o = optionsObject(OWNER, options, KNOWN) as RatioBudgetOptions
    const d = RATIO_BUDGET_DEFAULTS
    this.ratio = numberOption(OWNER, 'ratio', o.ratio, { min: 0, max: 10 }) ?? d.ratio
    this.windowMs = msOption(OWNER, 'windowMs', o.windowMs) ?? d.windowMs
    this.minRetriesPerSecond =
      numberOption(OWNER, 'minRetriesPerSecond', o.minRetriesPerSecond, { min: 0, unit: 'retries per second' }) ??
      d.minRetriesPerSecond
    this.#clock = clockOption(OWNER, o.clock) ?? systemClock
    this.#attempts = new SlidingWindowCount(this.windowMs, SLICES)
    this.#retries = new SlidingWindowCount(this.windowMs, SLICES)
    this.#floor = (this.minRetriesPerSecond * this.windowMs) / 1000
    this.#quietSinceMs = this.#clock.now()
  }

  /** Grants and counts one retry while retries stay within `ratio` × requests + the floor. */
  tryAcquire(): boolean {
    const now = this.#clock.now()
    if (this.#quiet) this.#fold(now)
    const retries = this.#retries.total(now)
    const requests = Math.max(0, this.#attempts.total(now) - retries)
    // A small tolerance, so that a ratio of 0.2 over 5 requests grants exactly 1 retry.
    if (retries + 1 > this.ratio * requests + this.#floor + 1e-9) return false
    this.#retries.add(now)
    return true
  }

  /** Counts an attempt that ended. */
  recordSuccess(): void {
    if (this.#quiet) {
      this.#quietAttempts++
      return
    }
    const now = this.#clock.now()
    this.#attempts.add(now)
    if (now - this.#lastFailureMs >= this.windowMs) this.#enterQuiet(now)
  }

  /** Counts an attempt that ended (the class does not matter: every attempt is a request). */
  recordFailure(_errorClass: ErrorClass): void {
    const now = this.#clock.now()
    if (this.#quiet) {
      this.#fold(now)
      this.#quiet = false
    }
    this.#attempts.add(now)
    this.#lastFailureMs = now
  }

  /** First attempts within the window. */
  get requests(): number {
    const now = this.#clock.now()
    if (this.#quiet) this.#fold(now)
    return Math.max(0, this.#attempts.total(now) - this.#retries.total(now))
  }

  /** Retries granted within the window. */
  get retries(): number {
    return this.#retries.total(this.#clock.now())
  }

  /** A plain snapshot for health endpoints (also what `JSON.stringify(budget)` writes). */
  toJSON(): RatioBudgetView {
    const requests = this.requests
    const retries = this.retries
    return {
      ratio: this.ratio,
      windowMs: this.windowMs,
      minRetriesPerSecond: this.minRetriesPerSecond,
      requests,
      retries,
      retriesAllowed: retries + 1 <= this.ratio * requests + this.#floor + 1e-9,
    }
  }

  #fold(now: number): void {
    if (this.#quietAttempts > 0) this.#attempts.addSpread(this.#quietAttempts, this.#quietSinceMs, now)
    this.#quietAttempts = 0
    this.#quietSinceMs = now
  }

  #enterQuiet(now: number): void {
    this.#quiet = true
    this.#quietAttempts = 0
    this.#quietSinceMs = now
  }
}
