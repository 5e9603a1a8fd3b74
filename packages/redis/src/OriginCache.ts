/**
 * The objects a factory made, one per origin, least recently asked-for first. Past `max`, the
 * oldest is forgotten — not closed: whoever still holds it keeps a working object, which stops
 * syncing by itself once idle.
 */
export class OriginCache<T extends { close(): void; toJSON(): unknown }> {
  readonly #items = new Map<string, T>()
  readonly #max: number
  readonly #make: (origin: string) => T
  #closed = false

  constructor(max: number, make: (origin: string) => T) {
    this.#max = max
    this.#make = make
  }

  get size(): number {
    return this.#items.size
  }

  get(origin: string): T {
    const found = this.#items.get(origin)
    if (found !== undefined) {
      this.#items.delete(origin)
      this.#items.set(origin, found)
      return found
    }
    const made = this.#make(origin)
    // After close(), objects are still handed out (a request path must not throw), but local only.
    if (this.#closed) {
      made.close()
      return made
    }
    this.#items.set(origin, made)
    if (this.#items.size > this.#max) {
      const oldest = this.#items.keys().next().value
      if (oldest !== undefined) this.#items.delete(oldest)
    }
    return made
  }

  close(): void {
    this.#closed = true
    for (const item of this.#items.values()) item.close()
    this.#items.clear()
  }

  toJSON(): Record<string, unknown> {
    const view: Record<string, unknown> = {}
    for (const [origin, item] of this.#items) view[origin] = item.toJSON()
    return view
  }
}
