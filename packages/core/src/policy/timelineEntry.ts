import type { ErrorClass } from '../ErrorClass.ts'
import type { StopReason } from '../events/StopReason.ts'
import type { TimelineEntry } from './RetryOptions.ts'
import type { RunRecord } from './RunRecord.ts'
import type { RunState } from './RunState.ts'

// The run's timeline (`captureTimeline`): one entry per attempt decided on, waited on or
// cancelled. A free function of the record, which holds the attempt being recorded; a call
// that captures no timeline returns at once.

/** Adds the attempt `r` is recording to its timeline, when the call captures one. */
export function timelineEntry(
  r: RunRecord,
  s: RunState,
  nowMs: number,
  errorClass: ErrorClass | undefined,
  error: unknown,
  decision: TimelineEntry['decision'],
  sleepMs?: number,
  sleepSource?: TimelineEntry['sleepSource'],
  stopReason?: StopReason,
  status: number | null = r.lastStatus ?? null,
): void {
  const timeline = r.timeline
  if (timeline === undefined || s.attempts === 0) return
  const attempt = r.settling
  const start = r.attemptStartMs
  timeline.push({
    attempt,
    startMs: start - s.startedAtMs,
    durationMs: nowMs - start,
    errorClass,
    status: status ?? undefined,
    error: decision === 'success' ? undefined : error,
    decision,
    sleepMs,
    sleepSource,
    stopReason,
    ...(r.hedgeAttempts?.includes(attempt) === true ? { hedge: true } : undefined),
  })
}
