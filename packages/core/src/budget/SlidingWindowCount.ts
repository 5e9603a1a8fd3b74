/**
 * A count over a sliding window of `windowMs`, kept in a fixed ring of `buckets` time slices:
 * memory is `buckets` numbers whatever the traffic, every call is O(1) but for a rotation, which
 * costs at most O(buckets) once per slice. The window is the current slice and the
 * `buckets - 1` before it, so it spans between `windowMs - windowMs / buckets` and `windowMs`.
 *
 * Counts may be fractional: `addSpread` spreads a count uniformly over an interval, for owners
 * that count on their success path without reading the clock and fold the tally in later.
 */
export class SlidingWindowCount {
  readonly #sliceMs: number
  readonly #counts: Float64Array
  // Absolute number of the newest slice (floor(now / sliceMs)); -Infinity before the first use.
  #current = Number.NEGATIVE_INFINITY
  #sum = 0

  /**
   * @param windowMs the window, in ms (finite, > 0)
   * @param buckets how many slices it is cut into (a whole number >= 1)
   */
  constructor(windowMs: number, buckets: number) {
    this.#sliceMs = windowMs / buckets
    this.#counts = new Float64Array(buckets)
  }

  /** The count within the window ending at `nowMs`. */
  total(nowMs: number): number {
    this.#advance(nowMs)
    return this.#sum
  }

  /** Adds `n` at `nowMs`. */
  add(nowMs: number, n = 1): void {
    this.#advance(nowMs)
    const slot = this.#slot(this.#current)
    this.#counts[slot] = (this.#counts[slot] ?? 0) + n
    this.#sum += n
  }

  /**
   * Adds `n` spread uniformly over [`fromMs`, `nowMs`]: each slice still in the window gets its
   * share of the overlap; the share of time already out of the window is dropped. With
   * `fromMs >= nowMs`, all of `n` goes to the current slice.
   */
  addSpread(n: number, fromMs: number, nowMs: number): void {
    if (n === 0) return
    if (!(fromMs < nowMs)) {
      this.add(nowMs, n)
      return
    }
    this.#advance(nowMs)
    const size = this.#counts.length
    const slice = this.#sliceMs
    const perMs = n / (nowMs - fromMs)
    for (let i = 0; i < size; i++) {
      const index = this.#current - i
      const start = Math.max(fromMs, index * slice)
      const end = Math.min(nowMs, (index + 1) * slice)
      if (end <= start) {
        if (end <= fromMs) break
        continue
      }
      const share = (end - start) * perMs
      const slot = this.#slot(index)
      this.#counts[slot] = (this.#counts[slot] ?? 0) + share
      this.#sum += share
    }
  }

  #slot(index: number): number {
    const size = this.#counts.length
    return ((index % size) + size) % size
  }

  #advance(nowMs: number): void {
    const index = Math.floor(nowMs / this.#sliceMs)
    // Same slice, or a clock that stepped back: keep counting into the newest slice.
    if (!(index > this.#current)) return
    const counts = this.#counts
    const steps = index - this.#current
    if (steps >= counts.length) counts.fill(0)
    else for (let i = 1; i <= steps; i++) counts[this.#slot(this.#current + i)] = 0
    this.#current = index
    // Re-summed at each rotation, so fractional shares never drift.
    let sum = 0
    for (let i = 0; i < counts.length; i++) sum += counts[i] ?? 0
    this.#sum = sum
  }
}
