import { CircuitBreaker, type CircuitBreakerOptions } from '../breaker/CircuitBreaker.ts'
import type { CircuitBreakerLike, CircuitState } from '../breaker/CircuitBreakerLike.ts'
import { isolate } from '../guard/isolate.ts'
import { BREAKER_METHODS } from '../policy/gateOptions.ts'
import { MAX_TRACKED_ORIGINS } from './OriginBudgets.ts'
import { OriginLru, originMaker } from './OriginLru.ts'

/**
 * One circuit breaker per origin (`scheme://host:port`), so one dead upstream never opens the
 * breaker of a healthy one: a local `CircuitBreaker` each, or whatever `breakerFor(origin)`
 * makes (e.g. one shared by a whole fleet through Redis). Bounded: past `maxOrigins`, the least
 * recently used origin is forgotten (a local breaker starts again closed; a factory is asked
 * again).
 */
export class OriginBreakers {
  readonly #breakers: OriginLru<CircuitBreakerLike>
  readonly #make: (origin: string) => CircuitBreakerLike

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
    this.#breakers = new OriginLru(maxOrigins)
    this.#make = originMaker<CircuitBreakerLike, CircuitBreakerOptions>(
      options,
      (o) => new CircuitBreaker(o),
      BREAKER_METHODS,
    )
  }

  /** The breaker of `origin`, made on first use. */
  for(origin: string): CircuitBreakerLike {
    return this.#breakers.slot(origin, this.#make).value
  }

  /** Origins currently tracked. */
  get size(): number {
    return this.#breakers.size
  }

  /** A read-only view for health endpoints: each tracked origin's breaker state. */
  toJSON(): Record<string, CircuitState> {
    const view: Record<string, CircuitState> = {}
    for (const [origin, entry] of this.#breakers.entries()) {
      const state = isolate(undefined, () => entry.value.state)
      if (state !== undefined) view[origin] = state
    }
    return view
  }
}
