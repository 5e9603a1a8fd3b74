import { isolate } from '../guard/isolate.ts'
import { noop } from './noop.ts'
import type { AttemptContext } from './RetryOptions.ts'

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
  // Most attempts have one listener (an adapter's): it is kept in a field, not an array.
  #first: ((reason: unknown) => void) | undefined
  #more: Array<(reason: unknown) => void> | undefined

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
    if (this.#first === undefined) {
      this.#first = listener
      return () => {
        if (this.#first === listener) this.#first = undefined
      }
    }
    this.#more ??= []
    const more = this.#more
    more.push(listener)
    return () => {
      const i = more.indexOf(listener)
      if (i !== -1) more.splice(i, 1)
    }
  }

  /** Aborts the attempt's signal only, if it was made (`abort` then calls the listeners). */
  abortSignal(reason: unknown): void {
    this.#controller?.abort(reason)
  }

  /** Aborts the attempt's signal and calls its `onAbort` listeners (once). */
  abort(reason: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason
    this.#controller?.abort(reason)
    const first = this.#first
    const more = this.#more
    this.#first = undefined
    this.#more = undefined
    if (first !== undefined) call(first, reason)
    if (more !== undefined) for (const listener of more) call(listener, reason)
  }
}

/** A listener's failure must not stop the others or the run. */
function call(listener: (reason: unknown) => void, reason: unknown): void {
  isolate(undefined, listener, undefined, reason)
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
