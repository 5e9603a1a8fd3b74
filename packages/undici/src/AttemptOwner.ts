import type { FirstAttemptCall } from '@redress/core/adapter'
import type { AttemptHandler } from './AttemptHandler.ts'
import type { UndiciHeaders } from './UndiciHeaders.ts'
import type { UndiciResponseHead } from './UndiciResponseHead.ts'

/**
 * undici's `DispatchController` as this package drives it: undici types `abort`'s reason as an
 * `Error`, but passes any abort reason through (an `AbortSignal`'s reason may be anything).
 */
export interface AttemptController {
  readonly paused: boolean
  rawHeaders?: unknown
  rawTrailers?: unknown
  abort(reason: unknown): void
  pause(): void
  resume(): void
}

/** Where a forwarded response goes: the caller's handler, behind the run's controller. */
export interface ResponseSink {
  /** Whether the caller paused the response (its body then waits on the connection). */
  readonly paused: boolean
  responseStart(head: UndiciResponseHead): void
  responseData(chunk: Buffer): void
  responseEnd(trailers: UndiciHeaders): void
  responseError(error: unknown): void
}

/** The run an attempt belongs to, as the attempt reports to it. */
export interface AttemptOwner extends ResponseSink {
  /** The attempt's request reached a connection (undici's `onRequestStart`). */
  attemptStarted(attempt: AttemptHandler, context: unknown): void
  /**
   * A response arrived: whether it goes to the caller at once — yes only for one the engine is
   * sure to accept (a 2xx or 3xx, as the runner judges it) on the current attempt of a caller
   * still there. On yes the owner has started the caller and counts the response as forwarded;
   * on no the response is held for the engine.
   */
  forwardAtOnce(attempt: AttemptHandler, head: UndiciResponseHead): boolean
  /**
   * An informational (1xx) response arrived on the attempt: passed on to the caller as undici
   * passes it on (`onResponseStart` with the 1xx status) when the attempt is current; it is not
   * the attempt's response, and the final one follows on the same request.
   */
  informational(
    attempt: AttemptHandler,
    statusCode: number,
    headers: UndiciHeaders,
    statusMessage: string | undefined,
  ): void
}

/** Where an attempt reports its outcome: the engine's first attempt, or the resolvers of its `start()`. */
export type AttemptReport = Pick<FirstAttemptCall, 'attemptSucceeded' | 'attemptSettled' | 'attemptFailed'>
