/**
 * A min-priority queue of timed events for a discrete-event simulation. Events pop in
 * time order; events due at the same instant pop in the order they were pushed, so a
 * simulation driven by it is deterministic.
 *
 * @example
 * const q = new EventQueue<string>()
 * q.push(10, 'b'); q.push(5, 'a')
 * q.pop() // { timeMs: 5, payload: 'a' }
 */
export class EventQueue<T> {
  #times: number[] = []
  #seqs: number[] = []
  #payloads: T[] = []
  #nextSeq = 0

  /** How many events are pending. */
  get size(): number {
    return this.#times.length
  }

  /** The time of the next event, in ms, or `undefined` when empty. */
  peekTimeMs(): number | undefined {
    return this.#times[0]
  }

  /** Schedules `payload` at `timeMs` (virtual ms). */
  push(timeMs: number, payload: T): void {
    if (Number.isNaN(timeMs)) throw new RangeError('EventQueue.push: timeMs must be a number, got NaN')
    let i = this.#times.length
    this.#times.push(timeMs)
    this.#seqs.push(this.#nextSeq++)
    this.#payloads.push(payload)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.#less(i, parent)) break
      this.#swap(i, parent)
      i = parent
    }
  }

  /** Removes and returns the earliest event (ties: first pushed), or `undefined` when empty. */
  pop(): { timeMs: number; payload: T } | undefined {
    const n = this.#times.length
    if (n === 0) return undefined
    const timeMs = this.#times[0] as number
    const payload = this.#payloads[0] as T
    const lastTime = this.#times.pop() as number
    const lastSeq = this.#seqs.pop() as number
    const lastPayload = this.#payloads.pop() as T
    if (n > 1) {
      this.#times[0] = lastTime
      this.#seqs[0] = lastSeq
      this.#payloads[0] = lastPayload
      const size = n - 1
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < size && this.#less(l, m)) m = l
        if (r < size && this.#less(r, m)) m = r
        if (m === i) break
        this.#swap(i, m)
        i = m
      }
    }
    return { timeMs, payload }
  }

  #less(a: number, b: number): boolean {
    const ta = this.#times[a] as number
    const tb = this.#times[b] as number
    return ta < tb || (ta === tb && (this.#seqs[a] as number) < (this.#seqs[b] as number))
  }

  #swap(a: number, b: number): void {
    const t = this.#times[a] as number
    this.#times[a] = this.#times[b] as number
    this.#times[b] = t
    const s = this.#seqs[a] as number
    this.#seqs[a] = this.#seqs[b] as number
    this.#seqs[b] = s
    const p = this.#payloads[a] as T
    this.#payloads[a] = this.#payloads[b] as T
    this.#payloads[b] = p
  }
}
