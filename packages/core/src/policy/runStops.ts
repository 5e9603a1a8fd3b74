import type { CircuitState } from '../breaker/CircuitBreakerLike.ts'
import { CircuitOpenError } from '../errors/CircuitOpenError.ts'
import { ThrottledError } from '../errors/ThrottledError.ts'
import type { StopReason } from '../events/StopReason.ts'
import type { CoreDecision } from './decide.ts'
import type { Run } from './Run.ts'

// How a run ends without a decision to retry: refused by its throttle or breaker before the
// first attempt, or stopped (a decision not to retry, the deadline, an abort). Free functions of
// the run (`Run.admit`, `refuse`, `stop`), which holds their state; a run that succeeds runs none.

/** Asks the throttle, then the breaker, for admission; returns a stop decision when one refuses. */
export function admitRun(run: Run): CoreDecision | undefined {
  const gates = run.gates
  if (!gates.throttleAdmits()) return refuseRun(run)
  const refusal = gates.breakerRefusal()
  if (refusal === undefined) return undefined
  const ms = refusal.retryInMs
  // The outcome says why, as Python redress does: `execute()` callers who log lastError see it.
  const error = new CircuitOpenError(undefined, { retryInMs: ms })
  return refused(run, 'CIRCUIT_OPEN', error, ms, 'circuit_rejected', gates.breaker?.state, { retry_in_ms: ms })
}

/** Ends the run as refused by the throttle (`THROTTLED`, event `throttled`), before any attempt. */
export function refuseRun(run: Run): CoreDecision {
  const p = run.gates.refused()
  const error = new ThrottledError(undefined, { rejectionProbability: p })
  return refused(run, 'THROTTLED', error, undefined, 'throttled', undefined, { rejection_probability: p })
}

/** Ends a run refused before its first attempt, with `error` as its last error; emits `event`. */
function refused(
  run: Run,
  reason: 'CIRCUIT_OPEN' | 'THROTTLED',
  error: Error,
  nextSleepMs: number | undefined,
  event: 'circuit_rejected' | 'throttled',
  state: CircuitState | undefined,
  fields: Readonly<Record<string, unknown>>,
): CoreDecision {
  run.stopReason = reason
  run.nextSleepMs = nextSleepMs
  run.state = { ...run.state, done: true }
  run.r.refused(run.state, reason, error, event, state, fields)
  return { retry: false, stopReason: reason, nextSleepMs }
}

/** Ends the run with a stop reason and emits its event (once). */
export function stopRun(run: Run, reason: StopReason, nextSleepMs: number | undefined, nowMs: number): void {
  if (run.stopReason !== undefined) return
  run.stopReason = reason
  run.nextSleepMs = nextSleepMs
  const s = { ...run.state, done: true }
  run.state = s
  const failed = run.r.stopped(s, reason, nextSleepMs, nowMs)
  // An aborted or deferred call, or one that never made an attempt, says nothing about the backend.
  const cls = reason === 'ABORTED' || reason === 'SCHEDULED' || !failed ? null : s.lastClass
  run.gates.finishThrottle(cls)
  run.gates.finishBreaker(cls === null ? { kind: 'neutral' } : { kind: 'failure', errorClass: cls })
}
