import type { FirstAttemptCall } from '@redress/core/adapter'
import type { Dispatcher } from 'undici'
import type { AttemptController, AttemptOwner, AttemptReport, ResponseSink } from './AttemptOwner.ts'
import type { AttemptState } from './AttemptState.ts'
import { ATTEMPT_BRAND } from './attemptBrand.ts'
import { HeldResponse } from './HeldResponse.ts'
import { cutDrain, discardHeld, failForwarded, forwardHeld } from './heldAttempt.ts'
import type { UndiciHeaders as Headers } from './UndiciHeaders.ts'
import type { UndiciResponseHead } from './UndiciResponseHead.ts'

/**
 * undici's handler for ONE attempt of a request. It turns undici's callbacks into an outcome for
 * the engine (the attempt's promise, from {@link AttemptHandler.start}): the response head, or
 * the error before it.
 *
 * A response the engine is sure to accept (2xx, 3xx) goes straight through to the caller as
 * undici delivers it, while the engine records the success. Any other response is held: its
 * body waits, paused, on the connection until the run either forwards it to the caller untouched
 * (buffered chunks first) or discards it (drained when small, aborted when large).
 *
 * A continuation of a cut body (a `Range` request) is an attempt too, whose owner never forwards
 * at once: it is held, read until its first bytes ({@link AttemptHandler.firstBytes}), then
 * spliced into the body the caller receives ({@link AttemptHandler.forward}) or discarded.
 */
export class AttemptHandler implements Dispatcher.DispatchHandler {
  readonly #method: string
  readonly #owner: AttemptOwner
  // Where the outcome goes: the engine's first attempt (no promise), or the `start()` promise.
  // Dropped once reported: a response the caller keeps reading must not keep the engine's call alive.
  #report: AttemptReport | undefined
  /** Moved on only by the attempt, and by the functions of its held response (heldAttempt.ts). */
  state: AttemptState = 'pending'
  /** undici's controller of this attempt, once the request reached a connection. Set only by the attempt. */
  controller: AttemptController | undefined
  /** The context undici handed to `onRequestStart`. Set only by the attempt. */
  context: unknown
  #abortReason: { readonly reason: unknown } | undefined
  /** The response head, once it arrived. Set only by the attempt. */
  head: UndiciResponseHead | undefined
  #sink: ResponseSink | undefined
  // The state of a response held for the engine (or discarded): made only when one is.
  #held: HeldResponse | undefined

  /**
   * @param method the request method
   * @param owner the run the attempt reports to
   * @param call the engine's first attempt, when the attempt reports its outcome to it directly
   *   (then {@link AttemptHandler.start} is not called)
   */
  constructor(method: string, owner: AttemptOwner, call?: FirstAttemptCall) {
    this.#method = method
    this.#owner = owner
    this.#report = call
  }

  /** The attempt's outcome for the engine: the response head, or the error before it. Call once. */
  start(): Promise<UndiciResponseHead> {
    return new Promise<UndiciResponseHead>((resolve, reject) => {
      this.#report = { attemptSucceeded: resolve, attemptSettled: resolve, attemptFailed: reject }
    })
  }

  /** The held response's state (made when a response is held; read only on the held and discard paths). */
  get #h(): HeldResponse {
    this.#held ??= new HeldResponse()
    return this.#held
  }

  onRequestStart(controller: AttemptController, context: unknown): void {
    this.controller = controller
    this.context = context
    // A request queued in the pool cannot be aborted before it reaches a connection: undici
    // hands out the controller only now, so an abort that came earlier lands here.
    if (this.#abortReason !== undefined) {
      controller.abort(this.#abortReason.reason)
      return
    }
    this.#owner.attemptStarted(this, context)
  }

  onResponseStart(controller: AttemptController, statusCode: number, headers: Headers, statusMessage?: string): void {
    this.controller = controller
    if (this.state !== 'pending') return
    if (this.#abortReason !== undefined) {
      controller.abort(this.#abortReason.reason)
      return
    }
    // RFC 9110 §15.2: a 1xx is interim, and the final response follows on the same request, so
    // the attempt stays pending (its timeout and the deadline still run; a close now is a reset
    // before the response). undici hands a 101 only to an upgrade, which never comes here.
    if (statusCode < 200) {
      this.#owner.informational(this, statusCode, headers, statusMessage)
      return
    }
    // Read-only by its type; not frozen: Object.freeze is a runtime call on every response.
    const head: UndiciResponseHead = { statusCode, status: statusCode, headers, statusMessage }
    this.head = head
    const owner = this.#owner
    if (owner.forwardAtOnce(this, head)) {
      // Nothing to decide: the caller gets the response as undici delivers it, and the engine
      // records the success from the same head. No pause, no buffer.
      this.state = 'forwarding'
      this.#sink = owner
      const report = this.#report
      this.#report = undefined
      report?.attemptSucceeded(head)
      try {
        owner.responseStart(head)
      } catch (error) {
        this.fail(error)
      }
      return
    }
    // The caller may have aborted from its onRequestStart: the attempt is being aborted.
    if (this.#abortReason !== undefined) return
    // The body waits on the connection while the engine decides; nothing is read before that.
    controller.pause()
    this.state = 'held'
    this.#held = new HeldResponse()
    const report = this.#report
    this.#report = undefined
    report?.attemptSettled(head)
  }

  onResponseData(_controller: AttemptController, chunk: Buffer): void {
    switch (this.state) {
      case 'forwarding':
        this.#sink?.responseData(chunk)
        return
      case 'held':
        // undici may deliver what it already parsed even after pause(); keep it for the caller.
        this.#h.chunks?.push(chunk)
        this.#h.bufferedBytes += chunk.length
        if (this.#h.progress !== undefined && chunk.length > 0) this.#h.madeProgress(this.controller)
        return
      case 'discarding':
        this.#h.dumpLeft -= chunk.length
        if (this.#h.dumpLeft < 0) cutDrain(this)
        return
      default:
        return
    }
  }

  onResponseEnd(_controller: Dispatcher.DispatchController, trailers: Headers): void {
    switch (this.state) {
      case 'forwarding':
        this.state = 'closed'
        this.#sink?.responseEnd(trailers)
        // Nothing reads a finished response's head again: what undici still holds keeps less.
        this.head = undefined
        return
      case 'held':
        this.#h.trailers = trailers
        if (this.#h.progress !== undefined) this.#h.madeProgress(this.controller)
        return
      default:
        this.close()
        return
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    switch (this.state) {
      case 'pending':
        this.state = 'closed'
        this.#failed(error)
        return
      case 'held':
        this.#h.error = { error }
        this.#held?.stopWaiting(error)
        return
      case 'forwarding':
        this.state = 'closed'
        this.#sink?.responseError(error)
        return
      default:
        this.close()
        return
    }
  }

  /** The dispatch itself threw: the attempt failed before it started. */
  dispatchFailed(error: unknown): void {
    if (this.state !== 'pending') return
    this.state = 'closed'
    this.#failed(error)
  }

  #failed(error: unknown): void {
    const report = this.#report
    this.#report = undefined
    report?.attemptFailed(error)
  }

  /**
   * The engine gave up on this attempt (its timeout, the deadline, or the caller's abort):
   * abort the request now, or as soon as undici hands out its controller. The engine ignores
   * whatever the attempt settles with from then on, so a held response is released at once.
   */
  abandon(reason: unknown): void {
    if (this.state === 'forwarding' || this.state === 'closed' || this.#abortReason !== undefined) return
    this.#abortReason = { reason }
    if (this.state === 'held') this.discard()
    else this.controller?.abort(reason)
  }

  /**
   * For a held response: resolves once its body delivered its first bytes (or ended), which stay
   * held for {@link forward}; rejects with the body's error, or when the response is discarded.
   * The body is read (resumed) only until then, and paused again.
   */
  firstBytes(): Promise<void> {
    if (this.state !== 'held') return Promise.reject(new Error('redress: the response is not held'))
    return this.#h.firstBytes(this.controller)
  }

  /**
   * Releases a held response the caller will never see, so its connection never waits on it:
   * drained when small, aborted when large (see `discardHeld`).
   */
  discard(): void {
    if (this.state === 'held') discardHeld(this, this.#h, this.#method)
  }

  /** Hands a held response to the caller: the head, the chunks buffered so far, then the live body. */
  forward(sink: ResponseSink): void {
    const head = this.head
    if (this.state !== 'held' || head === undefined) return
    this.state = 'forwarding'
    this.#sink = sink
    forwardHeld(this, this.#h, head, sink)
  }

  /** Ends a forwarded response with `error` (the caller aborted, or its handler threw): see `failForwarded`. */
  fail(error: unknown): void {
    if (this.state === 'forwarding') failForwarded(this, this.#held, this.#sink, error)
  }

  /** Closes the attempt: nothing it receives from now on goes anywhere (a drain's timer stops). */
  close(): void {
    this.state = 'closed'
    const held = this.#held
    if (held?.dumpTimer === undefined) return
    clearTimeout(held.dumpTimer)
    held.dumpTimer = undefined
  }
}

Object.defineProperty(AttemptHandler.prototype, ATTEMPT_BRAND, { value: true })
