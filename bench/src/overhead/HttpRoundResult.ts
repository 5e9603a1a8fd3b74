import type { VariantKind } from './VariantKind.ts'

/** What one variant did in one round of the HTTP overhead benchmark. */
export interface HttpRoundResult {
  /** The variant's name (see `httpVariants`). */
  readonly variant: string
  /** Its role in the comparison. */
  readonly kind: VariantKind
  /** Zero-based round number. */
  readonly round: number
  /** Completed requests per second over the round. */
  readonly requestsPerSecond: number
  /** Median request latency, in milliseconds. */
  readonly p50Ms: number
  /** 99th-percentile request latency, in milliseconds. */
  readonly p99Ms: number
  /** CPU time of the client process over the round (user + system, all threads), in nanoseconds per request. */
  readonly cpuNsPerRequest: number
}
