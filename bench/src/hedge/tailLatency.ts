/**
 * The heavy-tailed latency of the hedging benchmark's server: most responses in about 1 ms, a few
 * percent in 100–500 ms — the shape "The Tail at Scale" describes (a request occasionally stuck
 * behind a GC pause, a compaction, a noisy neighbour), drawn independently for every request, a
 * hedge included.
 */
export const TAIL_LATENCY: {
  /** The delay of a fast response, in ms (a timer of this length: about 1 ms). */
  readonly fastMs: 1
  /** The share of responses that are slow. */
  readonly slowFraction: 0.03
  /** A slow response's delay is uniform in [slowMinMs, slowMaxMs). */
  readonly slowMinMs: 100
  readonly slowMaxMs: 500
} = Object.freeze({ fastMs: 1, slowFraction: 0.03, slowMinMs: 100, slowMaxMs: 500 } as const)

/** The delay, in ms, of one response, from two uniform draws in [0, 1). */
export function tailDelayMs(slow: number, within: number): number {
  if (slow >= TAIL_LATENCY.slowFraction) return TAIL_LATENCY.fastMs
  return TAIL_LATENCY.slowMinMs + within * (TAIL_LATENCY.slowMaxMs - TAIL_LATENCY.slowMinMs)
}
