import { type Clock, type RandomSource, systemClock } from '../Clock.ts'
import type { ErrorClass } from '../ErrorClass.ts'
import { clockOption, functionOption, msOption, numberOption, optionNames, optionsObject } from '../guard/validate.ts'
import type { AdmissionThrottle } from './AdmissionThrottle.ts'
import { RequestWindow } from './RequestWindow.ts'

const OWNER = 'AdaptiveThrottle'
const KNOWN: ReadonlySet<string> = optionNames<AdaptiveThrottleOptions>({
  k: true,
  windowMs: true,
  maxRequests: true,
  minRequests: true,
  maxRejectionProbability: true,
  clock: true,
  random: true,
})

/**
 * Options of {@link AdaptiveThrottle}. K is the SRE book's; the window and the cap were chosen
 * with `pnpm sim` (bench/README.md, "Overload"): the latest 20 calls react within a few seconds
 * at 9 calls per second, where a two-minute window kept refusing long after the backend
 * recovered, and the cap lets enough calls through to see the recovery.
 */
export interface AdaptiveThrottleOptions {
  /**
   * The multiplier K: the throttle refuses nothing while the backend accepts at least one
   * request in K. Lower is more aggressive (the backend sees less wasted work); higher lets
   * more doomed requests through. A finite number >= 1.
   * @default 2
   */
  readonly k?: number | undefined
  /**
   * How long a request counts, in milliseconds (finite, > 0). The window is the latest
   * `maxRequests` requests that are younger than this (the SRE book uses two minutes and no count).
   * @default 30000
   */
  readonly windowMs?: number | undefined
  /**
   * The most requests the window holds (the latest ones): a busy client decides on its last
   * `maxRequests` calls — a fraction of a second at high rates, so it reacts and recovers fast —
   * and memory stays fixed (9 bytes a request). A whole number >= 1.
   * @default 20
   */
  readonly maxRequests?: number | undefined
  /**
   * Nothing is refused while the window holds fewer requests than this: a client that sends
   * little sees too few outcomes for their ratio to mean anything (one failed call alone gives
   * the formula a refusal probability of 1/2). A whole number >= 0, at most `maxRequests`.
   * @default 10
   */
  readonly minRequests?: number | undefined
  /**
   * The highest probability with which a request is refused, in [0, 1] (1: the SRE formula,
   * uncapped). Below 1 it keeps probes flowing to a backend that is down, so the throttle sees
   * it recover sooner and stops refusing sooner; the price is load on a backend that stays down
   * (at 0.8, about one call in five still goes out). In `pnpm sim`, uncapped, callers still saw
   * refusals 18.3 s after a 2 s stall at 90 % load — later than without retries (17.8 s).
   * @default 0.8
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
  /** How long a request counts, in milliseconds. */
  readonly windowMs: number
  /** The most requests the window holds. */
  readonly maxRequests: number
  /** The fewest requests in the window for any refusal. */
  readonly minRequests: number
  /** Requests within the window: calls that ended, plus calls refused locally. */
  readonly requests: number
  /** Of those, calls the backend accepted. */
  readonly accepts: number
  /** The probability a call would be refused now, in [0, maxRejectionProbability]. */
  readonly rejectionProbability: number
}

/** The defaults of {@link AdaptiveThrottleOptions}. */
export const ADAPTIVE_THROTTLE_DEFAULTS: {
  readonly k: 2
  readonly windowMs: 30_000
  readonly maxRequests: 20
  readonly minRequests: 10
  readonly maxRejectionProbability: 0.8
} = Object.freeze({ k: 2, windowMs: 30_000, maxRequests: 20, minRequests: 10, maxRejectionProbability: 0.8 } as const)

/**
 * Failures that show the backend answered normally: they are accepts, as in the SRE book
 * ("accepted by the backend"), and never count towards refusing.
 */
// Literals (checked by the type), not `ErrorClass.X`: a property read would keep the set in every bundle.
const ANSWERED: ReadonlySet<ErrorClass> = new Set<ErrorClass>(['AUTH', 'PERMISSION', 'PERMANENT', 'CONCURRENCY'])

/**
 * Client-side adaptive throttling (Google SRE book, "Handling Overload"): before a call's first
 * attempt, refuses it locally with probability `max(0, (requests − K · accepts) / (requests + 1))`
 * (at most `maxRejectionProbability`, 0.8 by default),
 * where *requests* counts the calls in the window (those that ended, and those refused) and
 * *accepts* those the backend accepted (a success, or a failure of class AUTH, PERMISSION,
 * PERMANENT or CONCURRENCY: it answered). The window is the latest `maxRequests` requests younger
 * than `windowMs`. While the backend accepts at least one request in K, nothing is refused; as it
 * rejects more, more calls fail fast on the client and the backend sheds that load, so an
 * overloaded backend drains instead of drowning.
 *
 * The engine tells it one outcome per call, not per attempt (as it does a circuit breaker): a
 * call that a retry rescued is an accept. So retries that work — one bad backend of three
 * behind a load balancer — never make it refuse; the retries' own load is the budget's business.
 *
 * Cheap when healthy: while the window holds no rejected call, `admit()` and `recordSuccess()`
 * only test a flag and bump a counter — no clock read, no random draw, no allocation; the tally
 * is folded into the window (spread evenly over the quiet time) at the next rejection. Memory is
 * fixed: 9 bytes per request of `maxRequests`.
 *
 * @example
 * const throttle = new AdaptiveThrottle({ k: 2, maxRequests: 50 })
 * const policy = new RetryPolicy({ throttle })
 */
export class AdaptiveThrottle implements AdmissionThrottle {
  /** The multiplier K. */
  readonly k: number
  /** How long a request counts, in milliseconds. */
  readonly windowMs: number
  /** The most requests the window holds. */
  readonly maxRequests: number
  /** The fewest requests in the window for any refusal. */
  readonly minRequests: number
  /** The highest refusal probability. */
  readonly maxRejectionProbability: number
  readonly #clock: Clock
  readonly #random: RandomSource
  readonly #window: RequestWindow
  // Quiet: the window holds no rejected or refused call, so the probability is 0 for sure.
  #quiet = true
  #quietSinceMs: number
  #quietAccepts = 0

  /** @throws TypeError/RangeError naming the option, for any invalid option. */
  constructor(options: AdaptiveThrottleOptions = {}) {
    const o = optionsObject(OWNER, options, KNOWN) as AdaptiveThrottleOptions
    const d = ADAPTIVE_THROTTLE_DEFAULTS
    this.k = numberOption(OWNER, 'k', o.k, { min: 1 }) ?? d.k
    this.windowMs = msOption(OWNER, 'windowMs', o.windowMs) ?? d.windowMs
    this.maxRequests =
      numberOption(OWNER, 'maxRequests', o.maxRequests, { min: 1, max: 1_000_000, integer: true, unit: 'requests' }) ??
      d.maxRequests
    this.minRequests =
      numberOption(OWNER, 'minRequests', o.minRequests, {
        min: 0,
        max: this.maxRequests,
        integer: true,
        unit: 'requests',
      }) ?? Math.min(d.minRequests, this.maxRequests)
    this.maxRejectionProbability =
      numberOption(OWNER, 'maxRejectionProbability', o.maxRejectionProbability, { min: 0, max: 1 }) ??
      d.maxRejectionProbability
    this.#clock = clockOption(OWNER, o.clock) ?? systemClock
    this.#random = functionOption(OWNER, 'random', o.random) ?? Math.random
    this.#window = new RequestWindow(this.maxRequests, this.windowMs)
    this.#quietSinceMs = this.#clock.now()
  }

  /** Admits a call's first attempt, or refuses it (and counts the refusal as a request). */
  admit(): boolean {
    if (this.#quiet) return true
    const now = this.#clock.now()
    const w = this.#window
    const requests = w.requests(now)
    const accepts = w.accepts(now)
    if (accepts === requests) {
      this.#quiet = true
      this.#quietSinceMs = now
      return true
    }
    const p = this.#probability(requests, accepts)
    if (p <= 0 || !(this.#random() < p)) return true
    w.push(now, false)
    return false
  }

  /** Counts a call the backend accepted. */
  recordSuccess(): void {
    if (this.#quiet) {
      this.#quietAccepts++
      return
    }
    this.#window.push(this.#clock.now(), true)
  }

  /** Counts a call that failed; one of class AUTH, PERMISSION, PERMANENT or CONCURRENCY is an accept. */
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
    this.#window.push(now, false)
  }

  /** The probability a call would be refused now. */
  get rejectionProbability(): number {
    const now = this.#clock.now()
    if (this.#quiet) this.#fold(now)
    return this.#probability(this.#window.requests(now), this.#window.accepts(now))
  }

  /** A plain snapshot for health endpoints (also what `JSON.stringify(throttle)` writes). */
  toJSON(): AdaptiveThrottleView {
    const now = this.#clock.now()
    if (this.#quiet) this.#fold(now)
    const requests = this.#window.requests(now)
    const accepts = this.#window.accepts(now)
    return {
      k: this.k,
      windowMs: this.windowMs,
      maxRequests: this.maxRequests,
      minRequests: this.minRequests,
      requests,
      accepts,
      rejectionProbability: this.#probability(requests, accepts),
    }
  }

  #probability(requests: number, accepts: number): number {
    if (requests < this.minRequests) return 0
    const p = (requests - this.k * accepts) / (requests + 1)
    return p > 0 ? Math.min(p, this.maxRejectionProbability) : 0
  }

  /** Moves the accepts counted while quiet into the window, spread evenly over the quiet time. */
  #fold(now: number): void {
    this.#window.pushAcceptsSpread(this.#quietAccepts, this.#quietSinceMs, now)
    this.#quietAccepts = 0
    this.#quietSinceMs = now
  }
}
