import type { ErrorClass } from '../ErrorClass.ts'

/**
 * The whole state of one run, as plain JSON-serialisable data: a job can carry it
 * between runs and processes (`policy.resume(state)`). Times are the policy clock's ms.
 */
export interface RunState {
  /** Format version. */
  readonly v: 1
  /** The operation name, or null. */
  readonly operation: string | null
  /** Attempts made so far. */
  readonly attempts: number
  /** Clock time the run started, in ms. */
  readonly startedAtMs: number
  /** Clock time of the deadline in ms, or null for none. */
  readonly deadlineAtMs: number | null
  /** The last sleep chosen, in ms, or null before the first retry. */
  readonly prevSleepMs: number | null
  /** How many attempts ended in each class. */
  readonly classCounts: Readonly<Partial<Record<ErrorClass, number>>>
  /** Class of the last failure, or null. */
  readonly lastClass: ErrorClass | null
  /** Set once the run has ended (success or stop); a finished run takes no more outcomes. */
  readonly done: boolean
}

/** A fresh state for a run starting at `nowMs`. */
export function initialRunState(operation: string | undefined, nowMs: number, deadlineMs: number): RunState {
  return {
    v: 1,
    operation: operation ?? null,
    attempts: 0,
    startedAtMs: nowMs,
    deadlineAtMs: Number.isFinite(deadlineMs) ? nowMs + deadlineMs : null,
    prevSleepMs: null,
    classCounts: {},
    lastClass: null,
    done: false,
  }
}
