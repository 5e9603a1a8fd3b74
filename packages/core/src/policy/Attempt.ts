import type { AttemptContext } from './RetryOptions.ts'

const noop = (): void => {}

/**
 * The context handed to `fn` for one attempt. Its `AbortController` is created only when `fn`
 * reads `signal`, and `onAbort` listeners are kept in a plain array, so an attempt whose
 * operation ignores cancellation (or listens with `onAbort`) costs no `AbortSignal`.
 */
export class Attempt implements AttemptContext {
  readonly attempt: number
  #controller: AbortController | undefined
  #reason: unknown
  #aborted = false
  #listeners: Array<(reason: unknown) => void> | undefined

  constructor(attempt: number) {
    this.attempt = attempt
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController()
      if (this.#aborted) this.#controller.abort(this.#reason)
    }
    return this.#controller.signal
  }

  onAbort(listener: (reason: unknown) => void): () => void {
    if (this.#aborted) {
      listener(this.#reason)
      return noop
    }
    if (this.#listeners === undefined) this.#listeners = []
    const listeners = this.#listeners
    listeners.push(listener)
    return () => {
      const i = listeners.indexOf(listener)
      if (i !== -1) listeners.splice(i, 1)
    }
  }

  /** Aborts the attempt's signal and calls its `onAbort` listeners (once). */
  abort(reason: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason
    this.#controller?.abort(reason)
    const listeners = this.#listeners
    if (listeners === undefined) return
    this.#listeners = undefined
    for (const listener of listeners) {
      try {
        listener(reason)
      } catch {
        // a listener's failure must not stop the others or the run
      }
    }
  }
}

/** A `TimeoutError` like the one `AbortSignal.timeout` produces. */
export function attemptTimeoutError(timeoutMs: number, isDeadline: boolean): Error {
  return new DOMException(
    isDeadline ? `deadline reached after ${timeoutMs} ms` : `attempt timed out after ${timeoutMs} ms`,
    'TimeoutError',
  )
}

/** True for anything with a callable `then`: what `await` would wait for. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  )
}
