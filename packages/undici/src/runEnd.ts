import type { AttemptHandler } from './AttemptHandler.ts'
import type { RedressRun } from './RedressRun.ts'
import { rethrowOutside } from './rethrowOutside.ts'

// The end of a run that forwarded nothing: the runner settled while no response had gone to
// the caller at once (a success forwarded ends the request itself, with its own end or error).
// An exception from the caller's handler, thrown while the run ends, is rethrown outside it.

/**
 * The runner resolved with `response`: its held `attempt` (the one whose head it is, else the
 * current one) is handed to the caller, or the run ends with an error when it is gone.
 */
export function handOver(run: RedressRun, attempt: AttemptHandler | undefined, response: unknown): void {
  try {
    if (attempt?.state === 'held' && attempt.head === response) {
      const callerAbort = run.takeOver(attempt)
      if (callerAbort === undefined) {
        attempt.forward(run)
        return
      }
      // The caller aborted from its own onRequestStart (an already aborted signal).
      attempt.discard()
      run.responseError(callerAbort.reason)
      return
    }
    attempt?.discard()
    run.responseError(new Error('redress: the run ended on a response that is no longer available'))
  } catch (error) {
    rethrowOutside(error)
  }
}

/**
 * The runner rejected with `error` (an error, the abort reason, a `CircuitOpenError`): what the
 * `current` attempt and (hedging) the `racing` ones hold is discarded, and the run ends with it.
 */
export function endRejected(
  run: RedressRun,
  current: AttemptHandler | undefined,
  racing: readonly AttemptHandler[] | undefined,
  error: unknown,
): void {
  try {
    // The response of an attempt abandoned while the engine was deciding.
    current?.discard()
    if (racing !== undefined) for (const attempt of racing) attempt.discard()
    run.responseError(error)
  } catch (thrown) {
    rethrowOutside(thrown)
  }
}
