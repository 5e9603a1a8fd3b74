import type { CallFinish, CallSink, DeferredCall } from './callFinish.ts'
import { sinkAttempts } from './callFinish.ts'
import { drive, type FirstAttempt } from './drive.ts'
import type { AttemptContext, CallOptions } from './RetryOptions.ts'
import type { ResolvedPolicy } from './resolveOptions.ts'

/**
 * Hands the first attempt the fast path made (`PendingCall`) to a full run (`drive`), which
 * carries on from its result. The call ends as `finish` says, through the caller's promise
 * (`resolve`/`reject`) or, for a call run without promises, through its sink (`source`).
 */
export function continueRun<R>(
  p: ResolvedPolicy,
  source: ((ctx: AttemptContext) => unknown) | CallSink<R>,
  call: CallOptions | undefined,
  first: FirstAttempt,
  finish: CallFinish<R>,
  deferred: DeferredCall | undefined,
  resolve: ((value: R) => void) | undefined,
  reject: ((error: unknown) => void) | undefined,
): void {
  const sink = typeof source === 'function' ? undefined : source
  const attempts = typeof source === 'function' ? source : sinkAttempts(source as CallSink<unknown>)
  const ended = drive(p, attempts, call, first).then((outcome) => finish.outcome(outcome, deferred))
  if (sink === undefined) ended.then(resolve, reject)
  else
    ended.then(
      (value) => sink.resolved(value),
      (error: unknown) => sink.rejected(error),
    )
}
