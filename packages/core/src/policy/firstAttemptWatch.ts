import { attemptTimeoutError } from './Attempt.ts'
import { scheduleArm, unscheduleArm } from './armBatch.ts'
import { moreOf } from './firstAttemptAbort.ts'
import type { PendingCall } from './PendingCall.ts'
import type { ResolvedPolicy } from './resolveOptions.ts'
import type { AttemptResult } from './runAttempt.ts'
import { armAttemptTimer, disarm } from './runAttempt.ts'

// What can end the first attempt from outside while it is pending (`PendingCall`): the caller's
// signal (or the deferred call it is attached to) and the deadline, armed later in a batch. Free
// functions of the call, which holds their state; `releaseFirst` undoes them when it settles.

/** The attempt's timeout: the policy's `attemptTimeoutMs`, clipped to its `deadlineMs` (Infinity: none). */
function timeoutOf(p: ResolvedPolicy): number {
  return p.attemptTimeoutMs === undefined ? p.deadlineMs : Math.min(p.attemptTimeoutMs, p.deadlineMs)
}

/** The caller's signal: the call's, or the deferred call's. */
function callerSignal<R>(c: PendingCall<R>): AbortSignal | undefined {
  return c.deferred === undefined ? c.call?.signal : c.deferred.signal
}

/** Listens to the caller's signal (or attaches to the deferred call), and schedules the deadline. */
export function watchFirst<R>(c: PendingCall<R>): void {
  const signal = callerSignal(c)
  if (signal !== undefined) {
    // fn itself may have aborted the caller's signal.
    if (signal.aborted) {
      c.cancel(signal.reason)
      return
    }
    const onCallerAbort = (): void => c.cancel(callerSignal(c)?.reason)
    moreOf(c).onCallerAbort = onCallerAbort
    signal.addEventListener('abort', onCallerAbort, { once: true })
  } else if (c.deferred?.attach !== undefined) {
    c.deferred.attach(c)
    if (!c.pending) return
  }
  // Armed later, in a batch (see `scheduleArm`): a call that settles at once never reads the clock.
  // arm() may run inside scheduleArm (a full batch): it resets the slot, so set it first.
  const slot = scheduleArm(c, c.p.realTime)
  if (slot !== -1) c.macroSlot = slot
}

/** Starts the attempt's deadline, `nowMs` being the start time, if it is still pending. */
export function armFirst<R>(c: PendingCall<R>, nowMs: number): void {
  c.macroSlot = -1
  if (!c.pending) return
  const p = c.p
  const now = p.realTime ? nowMs : p.clock.now()
  c.startMs = now
  const timeoutMs = timeoutOf(p)
  if (Number.isFinite(timeoutMs)) c.armed = armAttemptTimer(p, timeoutMs, now, c)
}

/** The attempt overran (the deadline queue or timer says so): aborts it; returns its result. */
export function expireFirst<R>(c: PendingCall<R>): AttemptResult {
  // The queue has already forgotten this entry; a timer has fired: nothing to disarm.
  c.armed = undefined
  const p = c.p
  const timeoutMs = timeoutOf(p)
  const isDeadline = timeoutMs === p.deadlineMs
  const error = attemptTimeoutError(timeoutMs, isDeadline)
  c.abort(error)
  return { kind: 'timeout', error, deadline: isDeadline }
}

/** Marks the attempt settled and frees its place in the deadline queue and its listener. */
export function releaseFirst<R>(c: PendingCall<R>): void {
  c.pending = false
  const slot = c.macroSlot
  if (slot !== -1) {
    c.macroSlot = -1
    unscheduleArm(c, slot)
  }
  const armed = c.armed
  if (armed !== undefined) {
    c.armed = undefined
    disarm(armed)
  }
  const more = c.more
  if (more?.onCallerAbort !== undefined) {
    callerSignal(c)?.removeEventListener('abort', more.onCallerAbort)
    more.onCallerAbort = undefined
  }
}
