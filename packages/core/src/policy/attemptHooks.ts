import type { ErrorClass } from '../ErrorClass.ts'
import { callHook } from './emitEvent.ts'
import type { RetryHooks } from './RetryOptions.ts'
import type { RunState } from './RunState.ts'

/** Attempt `n` of the run in `s` started at `nowMs`: `onAttemptStart`, the policy's then the call's. */
export function attemptStarted(hooks: readonly RetryHooks[], s: RunState, n: number, nowMs: number): void {
  callHook(hooks[0]?.onAttemptStart, startContext(s, n, nowMs))
  if (hooks[1] !== undefined) callHook(hooks[1].onAttemptStart, startContext(s, n, nowMs))
}

/**
 * Attempt `attempt` of the run in `s`, started at `startMs`, ended at `nowMs`: `onAttemptEnd`,
 * the policy's then the call's, each with a context of its own.
 */
export function attemptEnded(
  hooks: readonly RetryHooks[],
  s: RunState,
  attempt: number,
  startMs: number,
  nowMs: number,
  ok: boolean,
  errorClass: ErrorClass | undefined,
  error: unknown,
  value: unknown,
): void {
  for (const h of hooks) {
    if (h.onAttemptEnd === undefined) continue
    callHook(h.onAttemptEnd, {
      ...startContext(s, attempt, startMs),
      ok,
      errorClass,
      error,
      value,
      durationMs: nowMs - startMs,
    })
  }
}

/** What `onAttemptStart` sees of attempt `attempt` at `nowMs` (and `onAttemptEnd` of its start). */
function startContext(
  s: RunState,
  attempt: number,
  nowMs: number,
): { attempt: number; operation: string | undefined; elapsedMs: number } {
  return { attempt, operation: s.operation ?? undefined, elapsedMs: nowMs - s.startedAtMs }
}
