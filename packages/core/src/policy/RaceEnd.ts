import type { Classification } from '../Classification.ts'
import type { AttemptResult } from './runAttempt.ts'

/** An attempt aborted because another one won the race. */
export interface CancelledAttempt {
  readonly attempt: number
  readonly startMs: number
  /** What its signal aborted with. */
  readonly reason: unknown
}

/** How a hedged wave ended: the attempt whose result the driver decides on. */
export interface RaceEnd {
  readonly result: AttemptResult
  /** The attempt that ended the wave (for an abort: the latest started), and its start time. */
  readonly attempt: number
  readonly startMs: number
  /** The clock time the wave ended. */
  readonly endMs: number
  /** For a value: what `run.classifyValue` answered (it was classified to see whether it won). */
  readonly verdict: { readonly failed: Classification | undefined } | undefined
  /** The attempts aborted because this one won (a success only). */
  readonly cancelled: readonly CancelledAttempt[]
}
