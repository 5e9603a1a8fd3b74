import { type Resumer, resumableStatus } from '@redress/core/adapter'
import type { ContinuationRequest } from './ContinuationRequest.ts'
import type { FetchRequest } from './FetchRequest.ts'
import { resumableResponse } from './resumableBody.ts'

/** How `redressFetch` hands a response over with a body that survives cuts (issue 19). */
export class ResponseResumer {
  readonly #resumer: Resumer
  readonly #send: ContinuationRequest['send']

  /**
   * @param resumer the adapter's resumer: which responses can be resumed, under its policy
   * @param send how a continuation is sent through the caller's fetch, aborted as redressFetch's own attempts are
   */
  constructor(resumer: Resumer, send: ContinuationRequest['send']) {
    this.#resumer = resumer
    this.#send = send
  }

  /**
   * When a request that may be resumed starts (see `Resumer.startTime`): the deadline of its
   * download is counted from it. `undefined` when the policy has no deadline.
   */
  startTime(): number | undefined {
    return this.#resumer.startTime()
  }

  /**
   * The response with a body that survives cuts (see `resumableResponse`), when it can be resumed:
   * a `200`/`206` with a body and a validator (`Resumer.download`). Anything else is returned as
   * it is, after a status check and at most two header lookups (its body untouched).
   */
  resumable(response: Response, request: FetchRequest): Response {
    const { status, headers } = response
    if (!resumableStatus(status)) return response
    // Most responses stop here: without a validator there is nothing to resume with. Before the
    // body: on Node 20 a web stream is made transferable, and reading `locked` on it costs about a
    // microsecond, more than the two header lookups.
    if (!headers.has('etag') && !headers.has('last-modified')) return response
    const body = response.body
    if (body === null || body.locked) return response
    const url = response.url !== '' ? response.url : (request.url as string | URL)
    const download = this.#resumer.download(
      { method: 'GET', status, headers, decodesBody: true },
      { url, redress: request.redress },
      request.startedAtMs,
    )
    if (download === undefined) return response
    return resumableResponse(response, body, download, {
      send: this.#send,
      url,
      init: request.init,
      request: request.request,
      signal: request.callerSignal,
    })
  }
}
