import type { RetryOutcome } from './RetryOptions.ts'
import type { Run } from './Run.ts'

/**
 * The outcome of `run` so far, in the shape `execute` returns: its state, its stop, and what its
 * record has seen (the last failure, the timeline, the winning attempt).
 */
export function runOutcome<T>(run: Run, ok: boolean, value: T | undefined, nowMs: number): RetryOutcome<T> {
  const s = run.state
  const r = run.r
  const hedges = run.hedges
  return {
    ok,
    value,
    stopReason: ok ? undefined : run.stopReason,
    attempts: s.attempts,
    lastClass: s.lastClass ?? undefined,
    lastError: r.lastError,
    lastResult: r.lastResult,
    cause: r.lastCause,
    elapsedMs: nowMs - s.startedAtMs,
    nextSleepMs: run.nextSleepMs,
    timeline: r.timeline,
    abortReason: run.abortReason,
    winningAttempt: ok ? r.settling : undefined,
    hedges: hedges === 0 ? undefined : hedges,
  }
}
