/** What one variant did in one round of the HTTP overhead benchmark. */
export interface HttpRoundResult {
  /** The variant's name (see `httpVariants`). */
  readonly variant: string
  /** `raw`, `redress` or `peer`. */
  readonly kind: 'raw' | 'redress' | 'peer'
  /** Zero-based round number. */
  readonly round: number
  /** Completed requests per second over the round. */
  readonly requestsPerSecond: number
  /** Median request latency, in milliseconds. */
  readonly p50Ms: number
  /** 99th-percentile request latency, in milliseconds. */
  readonly p99Ms: number
}
