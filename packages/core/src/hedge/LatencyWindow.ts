import { HEDGE_DEFAULTS } from './HedgeOptions.ts'

// The cached quantile is recomputed after this many new samples, not after each: sorting the
// window costs a few µs, and a quantile over 128 samples barely moves with one more.
const REFRESH_EVERY = 8

/**
 * The recent latency of one operation (or origin), in bounded memory: a ring of the latest
 * `size` samples, in ms. {@link LatencyWindow.hedgeDelayMs} answers the delay a hedge waits for:
 * the window's quantile, recomputed every few samples; while there are fewer than `minSamples`,
 * twice the slowest sample so far (or `startAfterMs` with none), which errs late.
 *
 * The quantile `q` of `n` samples is the ⌈q·(n + 1)⌉-th smallest (capped at the largest), not the
 * nearest rank ⌈q·n⌉: the k-th smallest of n samples is outlasted by a new latency with
 * probability (n + 1 − k) / (n + 1) on average, so this rank keeps the share of calls that wait
 * past the delay — the calls that send a hedge — at most 1 − q (at 0.95 and 128 samples, 4.7 %
 * where the nearest rank gives 5.4 %).
 *
 * That share holds on average while latency stays put; a loaded machine that makes fast
 * responses late would hedge far more (a whole busy second can outlast the delay). So the window
 * also caps hedging at that share: each call's delay ({@link LatencyWindow.hedgeDelayMs}) earns
 * `1 − q` of a hedge, each hedge spends one ({@link LatencyWindow.hasHedge}, {@link LatencyWindow.takeHedge}), and at most
 * `burstHedges` are saved up.
 *
 * The delay is also never shorter than `medianMultiple` times the window's median: a hedge answers
 * about a median after it starts, so a hedge for a response that is only a little late (the top of
 * the fast band, where a tight distribution puts its quantile) cannot win; sent anyway, it would
 * spend hedges the slow tail needs.
 */
export class LatencyWindow {
  readonly #ring: Float64Array
  readonly #minSamples: number
  readonly #startAfterMs: number
  #count = 0
  #next = 0
  #max = 0
  #fresh = 0
  #sorted: Float64Array | undefined
  #cachedQuantile = Number.NaN
  #cachedMs = 0
  readonly #burst: number
  readonly #medianMultiple: number
  // Hedges the window may send now: earned 1 − q per call, spent one per hedge, up to #burst.
  #credit: number

  /**
   * @param size the samples kept. @default HEDGE_DEFAULTS.windowSamples (128)
   * @param minSamples samples before the quantile is used. @default HEDGE_DEFAULTS.minSamples (20)
   * @param startAfterMs the delay with no sample at all. @default HEDGE_DEFAULTS.startAfterMs (100)
   * @param burstHedges hedges saved up at most (and at the start). @default HEDGE_DEFAULTS.burstHedges (10)
   * @param medianMultiple the delay is at least this many medians. @default HEDGE_DEFAULTS.medianMultiple (2)
   */
  constructor(
    size: number = HEDGE_DEFAULTS.windowSamples,
    minSamples: number = HEDGE_DEFAULTS.minSamples,
    startAfterMs: number = HEDGE_DEFAULTS.startAfterMs,
    burstHedges: number = HEDGE_DEFAULTS.burstHedges,
    medianMultiple: number = HEDGE_DEFAULTS.medianMultiple,
  ) {
    this.#ring = new Float64Array(size)
    this.#minSamples = Math.min(minSamples, size)
    this.#startAfterMs = startAfterMs
    this.#burst = burstHedges
    this.#medianMultiple = medianMultiple
    this.#credit = burstHedges
  }

  /** Samples held (at most the window's size). */
  get count(): number {
    return this.#count
  }

  /** Adds one latency, in ms; NaN, negative and infinite values are ignored. */
  record(ms: number): void {
    if (!(ms >= 0 && ms < Number.POSITIVE_INFINITY)) return
    const ring = this.#ring
    ring[this.#next] = ms
    this.#next = (this.#next + 1) % ring.length
    if (this.#count < ring.length) this.#count++
    if (ms > this.#max) this.#max = ms
    this.#fresh++
  }

  /**
   * The delay, in ms, a hedge waits for at quantile `q` (in (0, 1)). Asked once per call (per wave
   * of attempts): each ask earns the window `1 − q` of a hedge.
   */
  hedgeDelayMs(q: number): number {
    this.#credit = Math.min(this.#burst, this.#credit + (1 - q))
    const n = this.#count
    if (n === 0) return this.#startAfterMs
    if (n < this.#minSamples) return 2 * this.#max
    if (q === this.#cachedQuantile && this.#fresh < REFRESH_EVERY) return this.#cachedMs
    return this.#refresh(q)
  }

  /** Whether the window may send a hedge now: `false` while its hedges have used up their share. */
  get hasHedge(): boolean {
    return this.#credit >= 1
  }

  /** Spends one hedge (after {@link LatencyWindow.hasHedge} said yes and the hedge is sent). */
  takeHedge(): void {
    this.#credit = Math.max(0, this.#credit - 1)
  }

  #refresh(q: number): number {
    const n = this.#count
    let sorted = this.#sorted
    if (sorted === undefined || sorted.length !== n) {
      sorted = new Float64Array(n)
      this.#sorted = sorted
    }
    sorted.set(n === this.#ring.length ? this.#ring : this.#ring.subarray(0, n))
    sorted.sort()
    const rank = (p: number): number =>
      sorted[Math.min(n, Math.max(1, Math.ceil(p * (n + 1)))) - 1] ?? this.#startAfterMs
    const ms = Math.max(rank(q), this.#medianMultiple * rank(0.5))
    this.#cachedQuantile = q
    this.#cachedMs = ms
    this.#fresh = 0
    return ms
  }
}
