import { type Clock, type RandomSource, systemClock } from '../Clock.ts'
import { ErrorClass } from '../ErrorClass.ts'
import { clockOption, functionOption, msOption, numberOption, optionNames, optionsObject } from '../guard/validate.ts'
import type { AdmissionThrottle } from './AdmissionThrottle.ts'
import { SlidingWindowCount } from './SlidingWindowCount.ts'

const OWNER = 'AdaptiveThrottle'
const KNOWN: ReadonlySet<string> = optionNames<AdaptiveThrottleOptions>({
  k: true,
  windowMs: true,
  maxRejectionProbability: true,
  clock: true,
  random: true,
})

/** Options of {@link AdaptiveThrottle}. The defaults are the SRE book's. */
export interface AdaptiveThrottleOptions {
  /**
   * The multiplier K: the throttle refuses nothing while the backend accepts at least one
   * request in K. Lower is more aggressive (the backend sees less wasted work); higher lets
   * more doomed requests through. A finite number >= 1.
   * @default 2
   */
  readonly k?: number | undefined
  /**
   * The sliding window the counts are kept over, in milliseconds (finite, > 0). It is kept in
   * 10 slices, so memory is fixed whatever the traffic. Shorter reacts and recovers faster;
   * longer is steadier at low request rates.
   * @default 120000 (the SRE book's two minutes)
   */
  readonly windowMs?: number | undefined
  /**
   * The highest probability with which a request is refused, in [0, 1]. Below 1 it keeps
   * probes flowing to a backend that is down, so the throttle notices its recovery sooner.
   * @default 1 (the SRE formula, uncapped)
   */
  readonly maxRejectionProbability?: number | undefined
  /** Where time is read from (only `now()` is used). @default systemClock */
  readonly clock?: Clock | undefined
  /** The random source the refusals draw from, in [0, 1). @default Math.random */
  readonly random?: RandomSource | undefined
}

/** What {@link AdaptiveThrottle} shows a health endpoint. Plain data, safe to serialise. */
export interface AdaptiveThrottleView {
  /** The multiplier K. */
  readonly k: number
  /** The window, in milliseconds. */
  readonly windowMs: number
  /** Requests within the window: attempts that ended, plus calls refused locally. */
  readonly requests: number
  /** Of those, attempts the backend accepted. */
  readonly accepts: number
  /** The probability a call would be refused now, in [0, maxRejectionProbability]. */
  readonly rejectionProbability: number
}

/** The defaults of {@link AdaptiveThrottleOptions}. */
export const ADAPTIVE_THROTTLE_DEFAULTS: {
  readonly k: 2
  readonly windowMs: 120_000
  readonly maxRejectionProbability: 1
} = Object.freeze({ k: 2, windowMs: 120_000, maxRejectionProbability: 1 } as const)

/** How many slices the window is cut into. */
const SLICES = 10

/**
 * Failures that show the backend answered normally: they are accepts, as in the SRE book
 * ("accepted by the backend"), and never count towards refusing.
 */
const ANSWERED: ReadonlySet<ErrorClass> = new Set<ErrorClass>([
  ErrorClass.AUTH,
  ErrorClass.PERMISSION,
  ErrorClass.PERMANENT,
  ErrorClass.CONCURRENCY,
])

/**
 * Client-side adaptive throttling (Google SRE book, "Handling Overload"): before a call's first
 * attempt, refuses it locally with probability `max(0, (requests − K · accepts) / (requests + 1))`,
 * where over the last `windowMs` *requests* counts attempts that ended plus calls refused, and
 * *accepts* counts attempts the backend accepted (a success, or a failure of class AUTH,
 * PERMISSION, PERMANENT or CONCURRENCY: it answered). While the backend accepts at least one
 * request in K, nothing is refused; as it rejects more, more calls fail fast on the client and
 * the backend sheds that load, so an overloaded backend drains instead of drowning.
 *
 * Cheap when healthy: while no attempt was rejected within the window, `admit()` and
 * `recordSuccess()` only test a flag and bump a counter — no clock read, no random draw, no
 * allocation; the tally is folded into the window (spread evenly over the quiet time) at the
 * next rejection. Memory is fixed: two rings of 10 numbers.
 *
 * @example
 * const throttle = new AdaptiveThrottle({ k: 2, windowMs: 60_000 })
 * const policy = new RetryPolicy({ throttle })
 */
export class AdaptiveThrottle implements AdmissionThrottle {
  /** The multiplier K. */
  readonly k: number
  /** The window, in milliseconds. */
  readonly windowMs: number
  /** The highest refusal probability. */
  readonly maxRejectionProbability: number
  readonly #clock: Clock
  readonly #random: RandomSource
  readonly #requests: SlidingWindowCount
  readonly #accepts: SlidingWindowCount
  // Quiet: no rejection (nor refusal) within the window, so the probability is 0 for sure.
  #quiet = true
  #quietSinceMs: number
  #quietAccepts = 0
  #lastRejectMs = Number.NEGATIVE_INFINITY

  /** @throws TypeError/RangeError naming the option, for any invalid option. */
  constructor(options: AdaptiveThrottleOptions = {}) {
    const o = optionsObject(OWNER, options, KNOWN) as AdaptiveThrottleOptions
    const d = ADAPTIVE_THROTTLE_DEFAULTS
    this.k = numberOption(OWNER, 'k', o.k, { min: 1 }) ?? d.k
    this.windowMs = msOption(OWNER, 'windowMs', o.windowMs) ?? d.windowMs
    this.maxRejectionProbability =
      numberOption(OWNER, 'maxRejectionProbability', o.maxRejectionProbability, { min: 0, max: 1 }) ??
      d.maxRejectionProbability
    this.#clock = clockOption(OWNER, o.clock) ?? systemClock
    this.#random = functionOption(OWNER, 'random', o.random) ?? Math.random
    this.#requests = new SlidingWindowCount(this.windowMs, SLICES)
    this.#accepts = new SlidingWindowCount(this.windowMs, SLICES)
    this.#quietSinceMs = this.#clock.now()
  }

  /** Admits a call's first attempt, or refuses it (and counts the refusal as a request). */
  admit(): boolean {
    if (this.#quiet) return true
    const now = this.#clock.now()
    if (now - this.#lastRejectMs >= this.windowMs) {
      this.#enterQuiet(now)
      return true
    }
    const p = this.#probability(now)
    if (p <= 0 || !(this.#random() < p)) return true
    this.#requests.add(now)
    this.#lastRejectMs = now
    return false
  }

  /** Counts an accepted attempt. */
  recordSuccess(): void {
    if (this.#quiet) {
      this.#quietAccepts++
      return
    }
    const now = this.#clock.now()
    this.#requests.add(now)
    this.#accepts.add(now)
  }

  /** Counts a rejected attempt; a failure of AUTH, PERMISSION, PERMANENT or CONCURRENCY is an accept. */
  recordFailure(errorClass: ErrorClass): void {
    if (ANSWERED.has(errorClass)) {
      this.recordSuccess()
      return
    }
    const now = this.#clock.now()
    if (this.#quiet) {
      this.#fold(now)
      this.#quiet = false
    }
    this.#requests.add(now)
    this.#lastRejectMs = now
  }

  /** The probability a call would be refused now. */
  get rejectionProbability(): number {
    const now = this.#clock.now()
    if (this.#quiet) this.#fold(now)
    return this.#probability(now)
  }

  /** A plain snapshot for health endpoints (also what `JSON.stringify(throttle)` writes). */
  toJSON(): AdaptiveThrottleView {
    const now = this.#clock.now()
    if (this.#quiet) this.#fold(now)
    return {
      k: this.k,
      windowMs: this.windowMs,
      requests: this.#requests.total(now),
      accepts: this.#accepts.total(now),
      rejectionProbability: this.#probability(now),
    }
  }

  #probability(now: number): number {
    const requests = this.#requests.total(now)
    const p = (requests - this.k * this.#accepts.total(now)) / (requests + 1)
    return p > 0 ? Math.min(p, this.maxRejectionProbability) : 0
  }

  /** Moves the accepts counted while quiet into the window, spread over the quiet time. */
  #fold(now: number): void {
    const n = this.#quietAccepts
    if (n > 0) {
      this.#requests.addSpread(n, this.#quietSinceMs, now)
      this.#accepts.addSpread(n, this.#quietSinceMs, now)
    }
    this.#quietAccepts = 0
    this.#quietSinceMs = now
  }

  #enterQuiet(now: number): void {
    this.#quiet = true
    this.#quietAccepts = 0
    this.#quietSinceMs = now
  }
}
