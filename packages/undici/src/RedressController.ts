import type { Dispatcher } from 'undici'

/** undici's raw headers or trailers, as its controller exposes them. */
export type RawHeaders = NonNullable<Dispatcher.DispatchController['rawHeaders']> | null

/** What the caller's controller acts on: the run behind it. */
export interface ControlTarget {
  /** Ends the run: the attempt in flight, the backoff sleep, or the forwarded body. */
  abort(reason: unknown): void
  /** The caller paused or resumed the body it receives. */
  pausedChanged(): void
  /** undici's raw headers and trailers of the forwarded response, when it has them. */
  readonly rawHeaders: RawHeaders
  readonly rawTrailers: RawHeaders
}

/**
 * The controller the caller's handler receives in `onRequestStart`: one for the whole request,
 * across attempts and sleeps. `abort()` ends the attempt in flight or the backoff sleep at once
 * (nothing is dispatched after it), or the body being forwarded; `pause()`/`resume()` act on
 * the forwarded response's connection.
 */
export class RedressController implements Dispatcher.DispatchController {
  readonly #target: ControlTarget
  #aborted = false
  #paused = false
  #reason: Error | null = null

  constructor(target: ControlTarget) {
    this.#target = target
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

  get rawHeaders(): RawHeaders {
    return this.#target.rawHeaders
  }

  get rawTrailers(): RawHeaders {
    return this.#target.rawTrailers
  }

  abort(reason?: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason instanceof Error ? reason : null
    this.#target.abort(reason)
  }

  pause(): void {
    this.#paused = true
    this.#target.pausedChanged()
  }

  resume(): void {
    if (!this.#paused) return
    this.#paused = false
    this.#target.pausedChanged()
  }
}
