import type { OneShotBody } from './attemptSender.ts'
import { attemptSender } from './attemptSender.ts'
import type { FetchCall } from './FetchCall.ts'
import type { FetchSettings } from './FetchSettings.ts'

/**
 * Reads a one-shot body into memory when it fits (see `attemptSender`), then runs the request
 * (`FetchCall.send`): its attempts are sent by the prepared sender.
 */
export function prepareOneShot(call: FetchCall, settings: FetchSettings, oneShot: OneShotBody): void {
  attemptSender(
    {
      baseFetch: settings.baseFetch,
      input: call.input,
      init: call.init,
      request: call.request,
      maxBufferedBodyBytes: oneShot.ofRequest ? settings.maxBufferedRequestBodyBytes : settings.maxBufferedBodyBytes,
      signal: call.signal,
    },
    oneShot,
  ).then(
    (prepared) => {
      call.prepared = prepared
      call.oneShotBody = prepared.oneShotBody
      call.start()
    },
    (error: unknown) => call.rejected(error),
  )
}
