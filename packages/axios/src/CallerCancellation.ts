import type { Cancel, CancelToken, GenericAbortSignal } from 'axios'

/**
 * The caller's ways of cancelling one axios request — its `signal` and its legacy
 * `cancelToken` — folded into one `AbortSignal` for the engine, so a cancel cuts the attempt in
 * flight and any backoff sleep at once. `dispose()` removes every listener it added.
 */
export class CallerCancellation {
  /** Aborts when the caller cancels; `undefined` when the request has neither signal nor token. */
  readonly signal: AbortSignal | undefined
  readonly #dispose: () => void
  #tokenReason: Cancel | undefined

  constructor(signal: GenericAbortSignal | undefined, cancelToken: CancelToken | undefined) {
    if (signal === undefined && cancelToken === undefined) {
      this.signal = undefined
      this.#dispose = () => {}
      return
    }
    const controller = new AbortController()
    this.signal = controller.signal
    const onAbort = (): void => controller.abort((signal as { reason?: unknown } | undefined)?.reason)
    const onCancel = (reason: Cancel): void => {
      this.#tokenReason = reason
      controller.abort(reason)
    }
    if (signal?.aborted === true) onAbort()
    else signal?.addEventListener?.('abort', onAbort)
    // subscribe() calls back at once when the token was already cancelled.
    cancelToken?.subscribe(onCancel)
    this.#dispose = () => {
      signal?.removeEventListener?.('abort', onAbort)
      cancelToken?.unsubscribe(onCancel)
    }
  }

  /** The `CanceledError` a cancelled token carries (axios rejects with it), if the token fired. */
  get tokenReason(): Cancel | undefined {
    return this.#tokenReason
  }

  /** Removes the listeners on the caller's signal and token. */
  dispose(): void {
    this.#dispose()
  }
}
