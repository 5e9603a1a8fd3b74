import type { Dispatcher } from 'undici'
import type { AttemptHandler } from './AttemptHandler.ts'
import type { CallerAbort } from './RunMore.ts'

/**
 * Dispatches `attempt` down the chain with `opts`; returns what the dispatch returned (undici's
 * back-pressure flag), or undefined when it threw or when the caller aborted already: then
 * nothing is dispatched, and the attempt fails with the error or the abort's reason.
 */
export function sendAttempt(
  dispatch: Dispatcher.Dispatch,
  opts: Dispatcher.DispatchOptions,
  callerAbort: CallerAbort | undefined,
  attempt: AttemptHandler,
): boolean | undefined {
  if (callerAbort !== undefined) {
    attempt.dispatchFailed(callerAbort.reason)
    return undefined
  }
  try {
    return dispatch(opts, attempt)
  } catch (error) {
    attempt.dispatchFailed(error)
    return undefined
  }
}
