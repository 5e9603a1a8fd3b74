import type { HttpRequestRun } from '@redress/core/adapter'
import type { AttemptHandler } from './AttemptHandler.ts'
import type { RedressRun } from './RedressRun.ts'
import type { RunMore } from './RunMore.ts'

/**
 * The caller aborted `run` with `error` (its controller's `abort()`, its signal, or its handler
 * throwing): the run ends with it wherever it is — the resume in flight between a cut and its
 * continuation, the spliced continuation, the forwarded response, or else the engine's run (the
 * attempt in flight or the backoff sleep: nothing is dispatched after).
 *
 * @param more the run's `more`, where the caller's abort is kept
 * @param forwarded the forwarded response's attempt, once one is forwarded
 * @param engineRun the engine's run of the request, until the request finished
 */
export function endOnCallerAbort(
  run: RedressRun,
  more: RunMore,
  error: unknown,
  forwarded: AttemptHandler | undefined,
  engineRun: HttpRequestRun | undefined,
): void {
  more.callerAbort ??= { reason: error }
  if (more.resuming) run.download?.cancel(error)
  else if (more.continuation !== undefined) more.continuation.fail(error)
  else if (forwarded !== undefined) forwarded.fail(error)
  else engineRun?.abort(error)
}
