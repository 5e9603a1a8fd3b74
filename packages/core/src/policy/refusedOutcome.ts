import type { CallOptions } from './RetryOptions.ts'
import type { RetryOutcome } from './RetryOutcome.ts'
import { Run } from './Run.ts'
import { initialRunState } from './RunState.ts'
import type { ResolvedPolicy } from './resolveOptions.ts'

/**
 * The outcome of a call its throttle refused on the fast path (`PendingCall`): a run born and
 * ended at once with `THROTTLED` and its `throttled` event, exactly as a full run would end.
 */
export function refusedOutcome(p: ResolvedPolicy, call: CallOptions | undefined): RetryOutcome<unknown> {
  const now = p.clock.now()
  const run = new Run(p, call, initialRunState(call?.operation, now, p.deadlineMs))
  run.refuse()
  return run.outcome(false, undefined, now)
}
