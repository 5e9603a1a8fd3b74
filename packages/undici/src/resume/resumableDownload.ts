import type { HttpRequest, ResumableDownload, Resumer } from '@redress/core/adapter'
import { resumableStatus } from '@redress/core/adapter'
import type { UndiciResponseHead } from '../UndiciResponseHead.ts'

/**
 * The download of a forwarded response, when it can be resumed (a 200/206 with a validator).
 *
 * @param startedAtMs when the request started (`Resumer.startTime`): the download's deadline is counted from it
 */
export function resumableDownload(
  resumer: Resumer,
  request: HttpRequest | undefined,
  head: UndiciResponseHead,
  startedAtMs: number | undefined,
): ResumableDownload | undefined {
  const { statusCode, headers } = head
  // undici's header names are lower case: two property reads decide for most responses.
  if (!resumableStatus(statusCode) || (headers['etag'] === undefined && headers['last-modified'] === undefined)) {
    return undefined
  }
  // A continuation re-sends the request, body and all: a one-shot body cannot be.
  if (request === undefined || request.oneShotBody) return undefined
  return resumer.download(
    // undici hands the body over as it arrives, coded or not: positions are the coded bytes Range counts.
    { method: 'GET', status: statusCode, headers, decodesBody: false },
    // Its path and origin, resolved (as the run's) only if the body is cut.
    request,
    startedAtMs,
  )
}
