/** What one variant of the core microbenchmark measured. */
export interface CoreResult {
  /** The variant's name. */
  readonly variant: string
  /** Nanoseconds per call, one entry per round. */
  readonly nsPerCall: readonly number[]
  /** Bytes allocated per call, one entry per repetition with no garbage collection inside it. */
  readonly bytesPerCall: readonly number[]
}
