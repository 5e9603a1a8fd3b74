/**
 * The latest requests a throttle has seen — at most `capacity`, none older than `maxAgeMs` —
 * each with when it ended and whether the backend accepted it. A fixed ring (`capacity` × 9
 * bytes): memory never grows with traffic, and every operation is O(1) amortised.
 */
export class RequestWindow {
  readonly #capacity: number
  readonly #maxAgeMs: number
  readonly #times: Float64Array
  readonly #accepted: Uint8Array
  #head = 0
  #size = 0
  #accepts = 0

  /**
   * @param capacity the most requests kept (a whole number >= 1)
   * @param maxAgeMs how long a request is kept, in ms (> 0)
   */
  constructor(capacity: number, maxAgeMs: number) {
    this.#capacity = capacity
    this.#maxAgeMs = maxAgeMs
    this.#times = new Float64Array(capacity)
    this.#accepted = new Uint8Array(capacity)
  }

  /** Requests in the window (after dropping those older than `maxAgeMs` at `nowMs`). */
  requests(nowMs: number): number {
    this.#expire(nowMs)
    return this.#size
  }

  /** Of those, how many the backend accepted. */
  accepts(nowMs: number): number {
    this.#expire(nowMs)
    return this.#accepts
  }

  /** Records a request that ended (or was refused) at `atMs`; the oldest leaves a full window. */
  push(atMs: number, accepted: boolean): void {
    const cap = this.#capacity
    if (this.#size === cap) this.#dropOldest()
    const slot = (this.#head + this.#size) % cap
    this.#times[slot] = atMs
    this.#accepted[slot] = accepted ? 1 : 0
    this.#size++
    if (accepted) this.#accepts++
  }

  /**
   * Records `n` accepted requests that ended evenly spread over (`fromMs`, `nowMs`] (counted
   * without reading the clock, folded in later). Only the latest `capacity` matter.
   */
  pushAcceptsSpread(n: number, fromMs: number, nowMs: number): void {
    if (n <= 0) return
    const step = nowMs > fromMs ? (nowMs - fromMs) / n : 0
    const count = Math.min(n, this.#capacity)
    // The k-th latest of the n ended at nowMs - k·step; push oldest first.
    for (let k = count - 1; k >= 0; k--) this.push(nowMs - k * step, true)
    this.#expire(nowMs)
  }

  #dropOldest(): void {
    if (this.#accepted[this.#head] === 1) this.#accepts--
    this.#head = (this.#head + 1) % this.#capacity
    this.#size--
  }

  #expire(nowMs: number): void {
    const cutoff = nowMs - this.#maxAgeMs
    while (this.#size > 0 && (this.#times[this.#head] ?? cutoff) <= cutoff) this.#dropOldest()
  }
}
