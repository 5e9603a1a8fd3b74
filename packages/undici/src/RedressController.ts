import { INSPECT } from '@redress/core/adapter'
import type { Dispatcher } from 'undici'

/** undici's raw headers or trailers, as its controller exposes them. */
export type RawHeaders = NonNullable<Dispatcher.DispatchController['rawHeaders']> | null

/**
 * The controller the caller's handler receives in `onRequestStart`: one for the whole request,
 * across attempts and sleeps. `abort()` ends the attempt in flight or the backoff sleep at once
 * (nothing is dispatched after it), or the body being forwarded; `pause()`/`resume()` act on
 * the forwarded response's connection.
 *
 * The run behind it extends it (one object per request, not two): it says what an abort and a
 * pause do, and where the raw headers and trailers come from.
 */
export abstract class RedressController implements Dispatcher.DispatchController {
  #aborted = false
  #paused = false
  #reason: Error | null = null

  get aborted(): boolean {
    return this.#aborted
  }

  get paused(): boolean {
    return this.#paused
  }

  get reason(): Error | null {
    return this.#reason
  }

  /** undici's raw headers of the forwarded response, when it has them. */
  abstract get rawHeaders(): RawHeaders

  /** undici's raw trailers of the forwarded response, when it has them. */
  abstract get rawTrailers(): RawHeaders

  /**
   * What `JSON.stringify` and `console.log` show of the controller: its state, not the run that
   * extends it (the request's options and headers, the attempts).
   */
  toJSON(): { aborted: boolean; paused: boolean; reason: Error | null } {
    return { aborted: this.#aborted, paused: this.#paused, reason: this.#reason }
  }

  abort(reason?: unknown): void {
    if (this.#aborted) return
    this.#aborted = true
    this.#reason = reason instanceof Error ? reason : null
    this.abortRun(reason)
  }

  pause(): void {
    this.#paused = true
    this.pausedChanged()
  }

  resume(): void {
    if (!this.#paused) return
    this.#paused = false
    this.pausedChanged()
  }

  /** Ends the run: the attempt in flight, the backoff sleep, or the forwarded body. */
  protected abstract abortRun(reason: unknown): void

  /** The caller paused or resumed the body it receives. */
  protected abstract pausedChanged(): void
}

/** undici's raw headers or trailers as `RawHeaders`: what its controller holds, when it is an array or object. */
export function readRaw(value: unknown): RawHeaders {
  return Array.isArray(value) || (typeof value === 'object' && value !== null)
    ? (value as NonNullable<RawHeaders>)
    : null
}

// `console.log` shows what `toJSON` does (a method added here: isolatedDeclarations refuses the computed name in the class).
Object.defineProperty(RedressController.prototype, INSPECT, { value: RedressController.prototype.toJSON })
