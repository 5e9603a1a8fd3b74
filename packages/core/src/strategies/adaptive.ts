import { type Clock, systemClock } from '../Clock.ts'
import { type ErrorClass, NON_RETRYABLE_CLASSES } from '../ErrorClass.ts'
import { clockOption, msOption, numberOption, optionNames, optionsObject } from '../guard/validate.ts'
import {
  type AnyStrategy,
  type BackoffContext,
  normalizeStrategy,
  type OutcomeObserver,
  type Strategy,
} from './Strategy.ts'

const OWNER = 'adaptive'
const KNOWN: ReadonlySet<string> = optionNames<AdaptiveOptions>({
  windowMs: true,
  targetSuccess: true,
  minMultiplier: true,
  maxMultiplier: true,
  clock: true,
})

/** Options of {@link adaptive}. */
export interface AdaptiveOptions {
  /**
   * How far back outcomes are counted, in milliseconds. Finite and > 0. The window
   * moves in steps of `windowMs / 20`.
   * @default 60_000
   */
  readonly windowMs?: number | undefined
  /**
   * The success rate considered healthy, in [0, 1]. While the failure rate over the
   * window is at most `1 - targetSuccess`, backoff is the fallback's times
   * `minMultiplier`.
   * @default 0.9
   */
  readonly targetSuccess?: number | undefined
  /**
   * The multiplier while healthy. Finite and ≥ 0.
   * @default 1
   */
  readonly minMultiplier?: number | undefined
  /**
   * The multiplier when every recent attempt failed. Finite and ≥ `minMultiplier`.
   * @default 5
   */
  readonly maxMultiplier?: number | undefined
  /**
   * Where time is read from (only `now()` is used).
   * @default systemClock
   */
  readonly clock?: Clock | undefined
}

/** The defaults of {@link AdaptiveOptions}. */
export const ADAPTIVE_DEFAULTS: {
  readonly windowMs: 60_000
  readonly targetSuccess: 0.9
  readonly minMultiplier: 1
  readonly maxMultiplier: 5
} = Object.freeze({ windowMs: 60_000, targetSuccess: 0.9, minMultiplier: 1, maxMultiplier: 5 })

/** The window is kept as this many time buckets, so recording and reading are O(1). */
const BUCKETS = 20

/**
 * Lengthens backoff while the recent failure rate is above target: the sleep is
 * `fallback(ctx) × multiplier`, where the multiplier is `minMultiplier` while the
 * failure rate over the last `windowMs` is at most `1 - targetSuccess` and rises
 * linearly to `maxMultiplier` at a failure rate of 1 (no attempts yet counts as
 * healthy). The result may exceed the fallback's own `maxMs`; that is the point.
 *
 * The returned strategy is also an {@link OutcomeObserver}: the engine reports every
 * attempt to it, first-try successes included (Python redress forgets those and so
 * overestimates the failure rate). Failures of `AUTH`, `PERMISSION` and `PERMANENT`
 * are not counted either way: the server answered, and they are never retried. Share
 * one instance between policies that call the same upstream.
 *
 * @param fallback the strategy whose sleeps are stretched; either signature.
 * @example
 * const strategy = adaptive(decorrelatedJitter({ maxMs: 10_000 }), { maxMultiplier: 4 })
 * const policy = new RetryPolicy({ strategy })
 */
export function adaptive(fallback: AnyStrategy, options: AdaptiveOptions = {}): Strategy & OutcomeObserver {
  const base = normalizeStrategy(fallback, 'adaptive: fallback')
  const o = optionsObject(OWNER, options, KNOWN) as AdaptiveOptions
  const windowMs = msOption(OWNER, 'windowMs', o.windowMs) ?? ADAPTIVE_DEFAULTS.windowMs
  const targetSuccess =
    numberOption(OWNER, 'targetSuccess', o.targetSuccess, { min: 0, max: 1 }) ?? ADAPTIVE_DEFAULTS.targetSuccess
  const minMultiplier =
    numberOption(OWNER, 'minMultiplier', o.minMultiplier, { min: 0 }) ?? ADAPTIVE_DEFAULTS.minMultiplier
  const maxMultiplier =
    numberOption(OWNER, 'maxMultiplier', o.maxMultiplier, { min: minMultiplier }) ?? ADAPTIVE_DEFAULTS.maxMultiplier
  if (maxMultiplier < minMultiplier) {
    throw new RangeError(`${OWNER}: maxMultiplier (${maxMultiplier}) must be >= minMultiplier (${minMultiplier})`)
  }
  const clock = clockOption(OWNER, o.clock) ?? systemClock

  const window = new OutcomeWindow(windowMs / BUCKETS, clock)
  const tolerated = 1 - targetSuccess
  const multiplier = (): number => {
    const rate = window.failureRate()
    if (rate <= tolerated) return minMultiplier
    return minMultiplier + ((maxMultiplier - minMultiplier) * (rate - tolerated)) / (1 - tolerated)
  }
  const strategy = (ctx: BackoffContext): number => base(ctx) * multiplier()
  return Object.assign(strategy, {
    recordSuccess: (): void => window.add(false),
    recordFailure: (errorClass: ErrorClass): void => {
      if (!NON_RETRYABLE_CLASSES.has(errorClass)) window.add(true)
    },
  })
}

/** Success and failure counts over a window made of `BUCKETS` time buckets. */
class OutcomeWindow {
  readonly #bucketMs: number
  readonly #clock: Clock
  readonly #successes = new Float64Array(BUCKETS)
  readonly #failures = new Float64Array(BUCKETS)
  #epoch = Number.NEGATIVE_INFINITY
  #totalSuccesses = 0
  #totalFailures = 0

  constructor(bucketMs: number, clock: Clock) {
    this.#bucketMs = bucketMs
    this.#clock = clock
  }

  add(failed: boolean): void {
    this.#advance()
    // Until the clock has given one usable reading there is no bucket to count in.
    if (!Number.isFinite(this.#epoch)) return
    const slot = mod(this.#epoch, BUCKETS)
    if (failed) {
      this.#failures[slot] = (this.#failures[slot] ?? 0) + 1
      this.#totalFailures++
    } else {
      this.#successes[slot] = (this.#successes[slot] ?? 0) + 1
      this.#totalSuccesses++
    }
  }

  failureRate(): number {
    this.#advance()
    const total = this.#totalSuccesses + this.#totalFailures
    return total === 0 ? 0 : this.#totalFailures / total
  }

  /** Empties the buckets that time has moved past (at most all of them). */
  #advance(): void {
    const epoch = Math.floor(this.#clock.now() / this.#bucketMs)
    // A clock that steps back is treated as standing still, so counts never go negative.
    if (!(epoch > this.#epoch)) return
    if (epoch - this.#epoch >= BUCKETS) {
      this.#successes.fill(0)
      this.#failures.fill(0)
      this.#totalSuccesses = 0
      this.#totalFailures = 0
    } else {
      for (let e = this.#epoch + 1; e <= epoch; e++) {
        const slot = mod(e, BUCKETS)
        this.#totalSuccesses -= this.#successes[slot] ?? 0
        this.#totalFailures -= this.#failures[slot] ?? 0
        this.#successes[slot] = 0
        this.#failures[slot] = 0
      }
    }
    this.#epoch = epoch
  }
}

function mod(n: number, m: number): number {
  return ((n % m) + m) % m
}
