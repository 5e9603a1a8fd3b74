import type { ResumableDownload } from '@redress/core/adapter'
import type { CallerHandler } from '../CallerHandler.ts'
import type { RedressRun } from '../RedressRun.ts'

/**
 * Delivers `chunk` of a body that may be resumed to the caller's `handler`, counted by the
 * forwarded response's `download`. Bytes past the body's last one (a continuation longer than
 * its range) are never delivered: the body ends with the download's error instead.
 */
export function deliverCounted(
  run: RedressRun,
  handler: CallerHandler,
  download: ResumableDownload,
  chunk: Buffer,
): void {
  const overrun = download.deliver(chunk.length)
  if (overrun !== undefined) {
    run.download = undefined
    run.upstream?.abort(overrun)
    run.responseError(overrun)
    return
  }
  try {
    handler.onResponseData?.(run, chunk)
  } catch (error) {
    // undici ends a body whose handler throws with that error: not a cut to resume.
    run.download = undefined
    throw error
  }
}
