import type { ErrorClass } from '../ErrorClass.ts'

/** One failure a closed breaker counts: when, and its class. */
export interface FailureEntry {
  /** When it was recorded, on the breaker's clock, in ms. */
  readonly at: number
  /** Its class. */
  readonly errorClass: ErrorClass
}

/**
 * The failures a closed breaker counts within its window, oldest first, with a count per
 * class; O(1) amortised per failure. It never holds more than `failureThreshold` entries in
 * practice, because reaching that many opens the breaker and clears it.
 */
export class FailureWindow {
  #failures: FailureEntry[] = []
  #head = 0
  readonly #classCounts = new Map<ErrorClass, number>()

  constructor(
    private readonly windowMs: number,
    private readonly failureThreshold: number,
    private readonly classThresholds: Readonly<Partial<Record<ErrorClass, number>>>,
  ) {}

  /** Counts one failure (entries must come in time order). */
  push(entry: FailureEntry): void {
    this.#failures.push(entry)
    this.#classCounts.set(entry.errorClass, (this.#classCounts.get(entry.errorClass) ?? 0) + 1)
  }

  /** True when the failures within the window at `now` reach the threshold, or one class reaches its own. */
  reachedThreshold(now: number): boolean {
    this.expire(now)
    if (this.#failures.length - this.#head >= this.failureThreshold) return true
    for (const [errorClass, count] of this.#classCounts) {
      const threshold = this.classThresholds[errorClass]
      if (threshold !== undefined && count >= threshold) return true
    }
    return false
  }

  /** Forgets the failures that left the window at `now`. */
  expire(now: number): void {
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

  /** The failures in the window, oldest first. */
  entries(): readonly FailureEntry[] {
    return this.#failures.slice(this.#head)
  }

  /** Forgets every failure. */
  clear(): void {
    this.#failures = []
    this.#head = 0
    this.#classCounts.clear()
  }
}
