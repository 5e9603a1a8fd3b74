import { CircuitBreaker, type CircuitBreakerOptions } from '../breaker/CircuitBreaker.ts'
import type { CircuitBreakerLike, CircuitState } from '../breaker/CircuitBreakerLike.ts'
import { isolate } from '../guard/isolate.ts'
import { MAX_TRACKED_ORIGINS } from './OriginBudgets.ts'

interface Entry {
  readonly breaker: CircuitBreakerLike
  used: number
}

/**
 * One circuit breaker per origin (`scheme://host:port`), so one dead upstream never opens the
 * breaker of a healthy one: a local `CircuitBreaker` each, or whatever `breakerFor(origin)`
 * makes (e.g. one shared by a whole fleet through Redis). Bounded: past `maxOrigins`, the least
 * recently used origin is forgotten (a local breaker starts again closed; a factory is asked
 * again).
 */
export class OriginBreakers {
  readonly #breakers = new Map<string, Entry>()
  #tick = 0
  readonly #options: CircuitBreakerOptions
  readonly #factory: ((origin: string) => CircuitBreakerLike) | undefined
  readonly #max: number

  /**
   * @param options the options of each origin's `CircuitBreaker`, or a function making each
   *   origin's breaker (called once per remembered origin; one that throws or returns no
   *   breaker gives that origin a local `CircuitBreaker` instead). @default {} — `CircuitBreaker`'s defaults
   * @param maxOrigins how many origins to remember. @default 512
   * @throws TypeError/RangeError for bad `CircuitBreaker` options or `maxOrigins`.
   */
  constructor(
    options: CircuitBreakerOptions | ((origin: string) => CircuitBreakerLike) = {},
    maxOrigins: number = MAX_TRACKED_ORIGINS,
  ) {
    if (!Number.isInteger(maxOrigins) || maxOrigins < 1) {
      throw new RangeError(`maxOrigins must be a whole number >= 1, got ${String(maxOrigins)}`)
    }
    if (typeof options === 'function') {
      this.#factory = options
      this.#options = {}
    } else {
      new CircuitBreaker(options) // validates the options now, not at the first request
      this.#options = options
    }
    this.#max = maxOrigins
  }

  /** The breaker of `origin`, made on first use. */
  for(origin: string): CircuitBreakerLike {
    const entry = this.#breakers.get(origin)
    const tick = ++this.#tick
    if (entry !== undefined) {
      entry.used = tick
      return entry.breaker
    }
    if (this.#breakers.size >= this.#max) this.#evictLeastRecentlyUsed()
    const breaker = this.#make(origin)
    this.#breakers.set(origin, { breaker, used: tick })
    return breaker
  }

  #make(origin: string): CircuitBreakerLike {
    const factory = this.#factory
    if (factory === undefined) return new CircuitBreaker(this.#options)
    const made = isolate(undefined, factory, undefined, origin) as Partial<CircuitBreakerLike> | undefined
    const ok =
      typeof made === 'object' && made !== null && typeof made.admit === 'function' && typeof made.record === 'function'
    // A broken factory must not fail the request: this origin gets a local breaker.
    return ok ? (made as CircuitBreakerLike) : new CircuitBreaker()
  }

  #evictLeastRecentlyUsed(): void {
    let oldest: string | undefined
    let oldestUse = Infinity
    for (const [origin, entry] of this.#breakers) {
      if (entry.used < oldestUse) {
        oldestUse = entry.used
        oldest = origin
      }
    }
    if (oldest !== undefined) this.#breakers.delete(oldest)
  }

  /** Origins currently tracked. */
  get size(): number {
    return this.#breakers.size
  }

  /** A read-only view for health endpoints: each tracked origin's breaker state. */
  toJSON(): Record<string, CircuitState> {
    const view: Record<string, CircuitState> = {}
    for (const [origin, entry] of this.#breakers) {
      const state = isolate(undefined, () => entry.breaker.state)
      if (state !== undefined) view[origin] = state
    }
    return view
  }
}
