import type { ResumableDownload } from '@redress/core/adapter'
import type { RedressRun } from '../RedressRun.ts'
import type { RunMore } from '../RunMore.ts'
import { splicedSink } from './continuationTransport.ts'

/**
 * The body `run` forwards was cut by `cut`: continue it under the policy (a `Range` request for
 * the rest, spliced into the body the caller receives), or end it with the resume's error.
 * Returns false, and does nothing, when the caller aborted, the run finished, or a resume is
 * in flight already: the run then ends with `cut` as it is.
 *
 * @param more the run's `more`, where the resume in flight and the continuation are kept
 * @param download the forwarded response's download
 */
export function resumeCutBody(run: RedressRun, more: RunMore, download: ResumableDownload, cut: unknown): boolean {
  if (more.callerAbort !== undefined || run.finished || more.resuming) return false
  if (download.complete) {
    // Every byte of a body of known length was delivered before the connection failed.
    run.download = undefined
    run.responseEnd({})
    return true
  }
  more.resuming = true
  more.continuation = undefined
  download.resume(cut, run.continuations()).then(
    (continuation) => {
      more.resuming = false
      if (run.finished) {
        continuation.discard()
        return
      }
      more.continuation = continuation
      // The caller has the head already: only the body goes on. The caller may have paused;
      // forward() resumes the connection only if it has not.
      continuation.forward(splicedSink(run))
    },
    (error: unknown) => {
      more.resuming = false
      run.download = undefined
      run.responseError(error)
    },
  )
  return true
}
