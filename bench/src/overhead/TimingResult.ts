/** Wall-clock timing of redress's sleeps on loopback, per adapter. */
export interface TimingResult {
  /** The adapter measured. */
  readonly adapter: string
  /**
   * Milliseconds between the server sending `429` with `Retry-After: 1` and the retry
   * arriving, minus 1 000, with `retryAfterOr`'s jitter set to 0 (one entry per sample).
   */
  readonly latenessNoJitterMs: readonly number[]
  /** The same with the default policy, whose `U(0, 250 ms)` jitter is included. */
  readonly latenessDefaultMs: readonly number[]
  /** Milliseconds from `controller.abort()` to the request's rejection during a 10 s backoff. */
  readonly abortMs: readonly number[]
}
