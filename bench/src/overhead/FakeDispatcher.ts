import { Dispatcher } from 'undici'
import { OK_BODY } from './okBody.ts'

// One buffer for every response: nothing downstream writes to it.
const BODY = Buffer.from(OK_BODY)
const CONTENT_LENGTH = String(BODY.length)
const RAW_HEADERS = [
  Buffer.from('content-type'),
  Buffer.from('application/json'),
  Buffer.from('content-length'),
  Buffer.from(CONTENT_LENGTH),
]

/**
 * An undici `Dispatcher` with no sockets: every dispatch is answered with a `200` and
 * `OK_BODY` on a resolved-promise microtask, so the only work left in a request is
 * the client's and the interceptors'. Handlers with `onRequestStart` (what a composed chain
 * passes on: `compose` wraps the caller's handler in undici 7's new API, and v7 interceptors
 * pass handlers of their own) are answered through the v7 callbacks, `onRequestStart` →
 * `onResponseStart` → `onResponseData` → `onResponseEnd`.
 * A handler without it (undici's `request()` straight to this dispatcher) is answered
 * through the legacy callbacks, as a real `Client` answers it, so the raw row pays no
 * translation that a real raw request does not pay either.
 */
export class FakeDispatcher extends Dispatcher {
  override dispatch(_opts: Dispatcher.DispatchOptions, handler: Dispatcher.DispatchHandler): boolean {
    if (typeof handler.onRequestStart === 'function') {
      const controller = new FakeController(handler)
      Promise.resolve().then(() => controller.start())
    } else {
      Promise.resolve().then(() => answerLegacy(handler))
    }
    return true
  }

  override close(): Promise<void> {
    return Promise.resolve()
  }

  override destroy(): Promise<void> {
    return Promise.resolve()
  }
}

/** The v7 controller of one fake response: abort ends it with `onResponseError`, pause holds the body until `resume`. */
class FakeController implements Dispatcher.DispatchController {
  #aborted = false
  #paused = false
  #reason: Error | null = null
  #pending: (() => void) | undefined
  readonly #handler: Dispatcher.DispatchHandler

  constructor(handler: Dispatcher.DispatchHandler) {
    this.#handler = handler
  }

  get aborted(): boolean {
    return this.#aborted
  }

  get paused(): boolean {
    return this.#paused
  }

  get reason(): Error | null {
    return this.#reason
  }

  abort(reason: Error): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason
    this.#handler.onResponseError?.(this, reason)
  }

  pause(): void {
    this.#paused = true
  }

  resume(): void {
    this.#paused = false
    const next = this.#pending
    this.#pending = undefined
    next?.()
  }

  /** Runs the response from the request's start to its end, stopping at an abort and waiting out a pause. */
  start(): void {
    const h = this.#handler
    h.onRequestStart?.(this, {})
    if (this.#aborted) return
    h.onResponseStart?.(this, 200, { 'content-type': 'application/json', 'content-length': CONTENT_LENGTH }, 'OK')
    this.#then(() => {
      h.onResponseData?.(this, BODY)
      this.#then(() => h.onResponseEnd?.(this, {}))
    })
  }

  #then(step: () => void): void {
    if (this.#aborted) return
    if (this.#paused) this.#pending = step
    else step()
  }
}

/** The same response through the legacy callbacks, which a 35-byte body never needs to pause. */
function answerLegacy(handler: Dispatcher.DispatchHandler): void {
  let aborted = false
  handler.onConnect?.((reason) => {
    if (aborted) return
    aborted = true
    handler.onError?.(reason ?? new Error('aborted'))
  })
  if (aborted) return
  handler.onHeaders?.(200, RAW_HEADERS, () => {}, 'OK')
  if (aborted) return
  handler.onData?.(BODY)
  if (aborted) return
  handler.onComplete?.([])
}
