import type { AttemptContext } from '@redress/core'
import type { GenericAbortSignal } from 'axios'
import { releaseAxiosResponse } from './releaseAxiosResponse.ts'

/** What an `'abort'` listener is called with: the fields axios's adapters read of an `Event`. */
interface AbortEventLike {
  readonly type: 'abort'
  readonly target: AttemptSignal
}

type AbortListener =
  | ((this: AttemptSignal, event: AbortEventLike) => unknown)
  | { handleEvent(event: unknown): unknown }

/**
 * The signal one attempt's transport gets as `config.signal`: a duck-typed `GenericAbortSignal`
 * (axios's own type for it) that aborts when the engine abandons the attempt — the caller
 * cancels, `attemptTimeoutMs` or the deadline passes — through the attempt context's `onAbort`,
 * or for the first attempt of a quiet run, through the runner calling {@link abandon} (no listener
 * on the context). A real `AbortSignal` (`ctx.signal`) would cost an `AbortController` per
 * request, paid even by the requests that succeed at once; this costs one small object.
 *
 * It does what axios's adapters use of a signal, and nothing more: `aborted`, `reason`,
 * `onabort`, and `addEventListener`/`removeEventListener` for `'abort'`. Listeners are called
 * once, with `this` the signal and an event carrying `type: 'abort'`, as an `EventTarget` would
 * — axios's http and xhr adapters then reject with a `CanceledError`, and the fetch adapter's
 * `composeSignals` reads the reason from `this.reason`.
 *
 * The response of an attempt the engine abandoned is nobody's: {@link track} hands the
 * transport's promise over, so that response is released when it arrives.
 */
export class AttemptSignal implements GenericAbortSignal {
  aborted = false
  /** Why the attempt was abandoned: the caller's abort reason or the engine's `TimeoutError`. */
  reason: unknown = undefined
  onabort: ((this: AttemptSignal, event: AbortEventLike) => unknown) | null = null
  // axios's adapters add one listener each: a second one is rare enough for an array.
  #listener: AbortListener | undefined = undefined
  #more: AbortListener[] | undefined = undefined
  #pending: Promise<unknown> | undefined = undefined

  /**
   * @param ctx the attempt's context, whose abort this signal follows; without one, whoever sent
   *   the attempt calls {@link abandon} (the runner's pending first attempt does)
   */
  constructor(ctx?: AttemptContext) {
    if (ctx !== undefined) ctx.onAbort((reason) => this.abandon(reason))
  }

  addEventListener(type: string, listener: AbortListener | null | undefined): void {
    if (type !== 'abort' || listener === null || listener === undefined || this.aborted) return
    if (this.#listener === listener || this.#more?.includes(listener) === true) return
    if (this.#listener === undefined) this.#listener = listener
    else if (this.#more === undefined) this.#more = [listener]
    else this.#more.push(listener)
  }

  removeEventListener(type: string, listener: AbortListener | null | undefined): void {
    if (type !== 'abort') return
    if (this.#listener === listener) this.#listener = undefined
    else if (this.#more !== undefined) {
      const i = this.#more.indexOf(listener as AbortListener)
      if (i !== -1) this.#more.splice(i, 1)
    }
  }

  /** The transport's promise for this attempt: its response is released if the attempt is abandoned. */
  track(pending: Promise<unknown>): void {
    if (this.aborted) releaseWhenSettled(pending)
    else this.#pending = pending
  }

  /** The attempt was abandoned with `reason`: aborts (once), and releases its response when it arrives. */
  abandon(reason: unknown): void {
    if (this.aborted) return
    this.aborted = true
    this.reason = reason
    const event: AbortEventLike = { type: 'abort', target: this }
    const listeners = [this.onabort, this.#listener, ...(this.#more ?? [])]
    this.#listener = undefined
    this.#more = undefined
    for (const listener of listeners) {
      try {
        if (typeof listener === 'function') listener.call(this, event)
        else listener?.handleEvent(event)
      } catch {
        // a transport's listener failing must not stop the others, nor the engine
      }
    }
    if (this.#pending !== undefined) releaseWhenSettled(this.#pending)
    this.#pending = undefined
  }
}

/** Frees the response (or the error's response) of an attempt nobody waits for any more. */
function releaseWhenSettled(pending: Promise<unknown>): void {
  pending.then(releaseAxiosResponse, (error: unknown) => releaseAxiosResponse(responseOf(error)))
}

function responseOf(error: unknown): unknown {
  try {
    return (error as { response?: unknown } | null | undefined)?.response
  } catch {
    return undefined
  }
}
