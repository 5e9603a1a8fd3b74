import { percentile } from './percentile.ts'

/** Inputs of {@link recoveryTime}. */
export interface RecoveryInput {
  /** Latencies of the attempts that ended in each bucket, in ms; a timeout is `Infinity`. */
  readonly latenciesPerBucket: readonly (readonly number[])[]
  /** Bucket width, in ms. */
  readonly bucketMs: number
  /** The healthy p99 latency, in ms. A bucket is healthy below `factor` times this. */
  readonly baselineP99Ms: number
  /**
   * Per bucket, calls that failed without an attempt (refused locally by a client-side
   * throttle): each counts as a timed-out attempt, infinitely slow. Absent: none.
   */
  readonly failedPerBucket?: readonly number[] | undefined
  /** When the disturbance ended, in ms (a bucket boundary). */
  readonly fromMs: number
  /** How long the latency must stay healthy, in ms. @default 1000 */
  readonly holdMs?: number | undefined
  /** @default 2 */
  readonly factor?: number | undefined
}

/**
 * Recovery time after a disturbance, in ms: `t − fromMs` for the first bucket start
 * `t ≥ fromMs` that begins `holdMs` of consecutive healthy buckets. A bucket is healthy
 * when at least one attempt ended in it and the p99 latency of those attempts (a
 * timed-out attempt, and a call in `failedPerBucket`, counting as infinitely slow) is below
 * `factor × baselineP99Ms`.
 * `undefined` when the system never recovers within the data.
 */
export function recoveryTime(input: RecoveryInput): number | undefined {
  const { latenciesPerBucket, bucketMs, baselineP99Ms, fromMs } = input
  const limit = (input.factor ?? 2) * baselineP99Ms
  const need = Math.max(1, Math.round((input.holdMs ?? 1000) / bucketMs))
  const first = Math.ceil(fromMs / bucketMs)
  let streak = 0
  for (let b = first; b < latenciesPerBucket.length; b++) {
    const latencies = [...(latenciesPerBucket[b] ?? [])]
    for (let n = input.failedPerBucket?.[b] ?? 0; n > 0; n--) latencies.push(Number.POSITIVE_INFINITY)
    const p99 = percentile(latencies, 0.99)
    if (p99 !== undefined && p99 < limit) {
      streak++
      if (streak === need) return (b - need + 1) * bucketMs - fromMs
    } else {
      streak = 0
    }
  }
  return undefined
}
