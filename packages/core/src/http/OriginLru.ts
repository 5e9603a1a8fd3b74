import { isolate } from '../guard/isolate.ts'

/** One origin's slot in an {@link OriginLru}: its value and when it was last used. */
export interface OriginSlot<T> {
  /** The origin (`scheme://host:port`). */
  readonly origin: string
  /** What is kept for it. */
  readonly value: T
  /** The LRU stamp of its last use. Internal. */
  used: number
}

/**
 * A map from origin to a per-origin object (a budget, a breaker, a throttle), bounded: past
 * `maxOrigins`, the least recently used origin is forgotten. Any string works as the key (the
 * hedge latency history keys it by operation name too). One use stamp per lookup instead of
 * re-inserting into the Map, because a lookup runs once per request; eviction scans, which
 * happens only when a new origin arrives at a full map.
 */
export class OriginLru<T> {
  readonly #slots = new Map<string, OriginSlot<T>>()
  #tick = 0
  readonly #max: number
  readonly #onEvict: ((origin: string) => void) | undefined

  /**
   * @param maxOrigins how many origins to remember (a whole number >= 1)
   * @param onEvict told of each origin forgotten
   * @throws RangeError for a bad `maxOrigins`
   */
  constructor(maxOrigins: number, onEvict?: (origin: string) => void) {
    if (!Number.isInteger(maxOrigins) || maxOrigins < 1) {
      throw new RangeError(`maxOrigins must be a whole number >= 1, got ${String(maxOrigins)}`)
    }
    this.#max = maxOrigins
    this.#onEvict = onEvict
  }

  /** The slot of `origin`, made with `make` on first use (forgetting the least recently used one if full). */
  slot(origin: string, make: (origin: string) => T): OriginSlot<T> {
    const found = this.#slots.get(origin)
    const tick = ++this.#tick
    if (found !== undefined) {
      found.used = tick
      return found
    }
    if (this.#slots.size >= this.#max) this.#evictLeastRecentlyUsed()
    const slot: OriginSlot<T> = { origin, value: make(origin), used: tick }
    this.#slots.set(origin, slot)
    return slot
  }

  /** The slot of `origin` if it is remembered (marked as just used), else `undefined`. */
  known(origin: string): OriginSlot<T> | undefined {
    const found = this.#slots.get(origin)
    if (found !== undefined) found.used = ++this.#tick
    return found
  }

  /** The value of `origin` if it is remembered; does not count as a use. */
  peek(origin: string): T | undefined {
    return this.#slots.get(origin)?.value
  }

  /** Marks `slot` as just used (for callers that keep a slot between lookups). */
  touch(slot: OriginSlot<T>): void {
    slot.used = ++this.#tick
  }

  /** Origins currently remembered. */
  get size(): number {
    return this.#slots.size
  }

  /** Every remembered origin with its value. */
  entries(): IterableIterator<[string, OriginSlot<T>]> {
    return this.#slots.entries()
  }

  #evictLeastRecentlyUsed(): void {
    let oldest: OriginSlot<T> | undefined
    for (const slot of this.#slots.values()) if (oldest === undefined || slot.used < oldest.used) oldest = slot
    if (oldest === undefined) return
    this.#slots.delete(oldest.origin)
    this.#onEvict?.(oldest.origin)
  }
}

/**
 * How a per-origin collection makes one origin's object from what it was given: with a factory,
 * what `factory(origin)` makes when it has every one of `methods`, else (it threw, or returned
 * something else) `local(undefined)` — a broken factory must not fail the request, so that origin
 * gets a local object instead; with options, `local(options)`, made once now so that bad options
 * fail at construction, not at the first request.
 */
export function originMaker<T, O>(
  given: O | ((origin: string) => T),
  local: (options: O | undefined) => T,
  methods: readonly string[],
): (origin: string) => T {
  if (typeof given !== 'function') {
    const options = given as O
    local(options)
    return () => local(options)
  }
  const factory = given as (origin: string) => T
  return (origin) => {
    const made = isolate(undefined, factory, undefined, origin) as Record<string, unknown> | undefined
    const ok = typeof made === 'object' && made !== null && methods.every((m) => typeof made[m] === 'function')
    return ok ? (made as T) : local(undefined)
  }
}
