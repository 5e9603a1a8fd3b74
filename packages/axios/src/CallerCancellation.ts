import type { Cancel, CancelToken, GenericAbortSignal } from 'axios'

/**
 * The caller's ways of cancelling one axios request — its `signal` and its legacy
 * `cancelToken` — folded into one `AbortSignal` for the engine, so a cancel cuts the attempt in
 * flight and any backoff sleep at once. Only for a request with a cancel token, or a signal that
 * is not a real `AbortSignal` (axios accepts any `GenericAbortSignal`): a real one goes to the
 * engine as it is. The token's own reason is what the engine aborts with. `dispose()` removes
 * every listener it added.
 */
export class CallerCancellation {
  /** Aborts when the caller cancels; `undefined` when the request has neither signal nor token. */
  readonly signal: AbortSignal | undefined
  readonly #dispose: () => void

  /**
   * The cancellation of a request whose engine needs one: `undefined` when it has no cancel token
   * and its signal (if any) is a real `AbortSignal`, which the engine takes as it is.
   */
  static of(
    signal: GenericAbortSignal | undefined,
    cancelToken: CancelToken | undefined,
  ): CallerCancellation | undefined {
    return cancelToken === undefined && (signal === undefined || signal instanceof AbortSignal)
      ? undefined
      : new CallerCancellation(signal, cancelToken)
  }

  constructor(signal: GenericAbortSignal | undefined, cancelToken: CancelToken | undefined) {
    if (signal === undefined && cancelToken === undefined) {
      this.signal = undefined
      this.#dispose = () => {}
      return
    }
    const controller = new AbortController()
    this.signal = controller.signal
    const onAbort = (): void => controller.abort((signal as { reason?: unknown } | undefined)?.reason)
    const onCancel = (reason: Cancel): void => controller.abort(reason)
    if (signal?.aborted === true) onAbort()
    else signal?.addEventListener?.('abort', onAbort)
    // subscribe() calls back at once when the token was already cancelled.
    cancelToken?.subscribe(onCancel)
    this.#dispose = () => {
      signal?.removeEventListener?.('abort', onAbort)
      cancelToken?.unsubscribe(onCancel)
    }
  }

  /** Removes the listeners on the caller's signal and token. */
  dispose(): void {
    this.#dispose()
  }
}
