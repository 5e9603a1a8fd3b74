import type { Classification } from '../../Classification.ts'
import { toClassification } from '../../classify/safeClassify.ts'
import { ErrorClass, NON_RETRYABLE_CLASSES } from '../../ErrorClass.ts'
import type { StopReason } from '../../events/StopReason.ts'
import type { AttemptContext, RetryOutcome } from '../../policy/RetryOptions.ts'
import type { RetryPolicy } from '../../policy/RetryPolicy.ts'
import type { HttpRequest } from '../HttpRequest.ts'
import { checkContinuation } from './checkContinuation.ts'
import { continuationHeaders } from './continuationHeaders.ts'
import { isResumeError, ResumeError } from './ResumeError.ts'
import type { ResumeRequest } from './ResumeRequest.ts'
import type { Resumer } from './Resumer.ts'
import type { ResumeTarget } from './ResumeTarget.ts'
import type { ResumeTransport } from './ResumeTransport.ts'

/** How a ResumeError thrown inside a continuation attempt is classified: final. */
const RESUME_STOP: Classification = Object.freeze({
  errorClass: ErrorClass.PERMANENT,
  retryable: false,
  details: Object.freeze({ reason: 'resume_failed' }),
})

/**
 * One response body that can be continued after a cut. The adapter tells it how many bytes it
 * handed to the caller ({@link deliver}); after a cut, {@link resume} re-requests the rest under
 * the adapter's policy and resolves with the continuation, which the adapter splices into the
 * same body stream.
 *
 * Each cut starts a resume whose first attempt is the cut itself: the policy classifies it,
 * sleeps its backoff, takes a budget token and emits `retry` (tagged `resume: 'true'` and
 * `resume_offset`) before the first continuation is sent. A continuation that delivers bytes
 * ends that resume, so the next cut has the policy's attempts afresh; one cut before its first
 * byte is a failed attempt of the same resume. The deadline (`deadlineMs`) is the request's own:
 * counted from when the request started (`Resumer.startTime`) and shared by every resume, so no
 * continuation is sent, and none is waited for, past `deadlineMs` after the caller's call. A body
 * that is flowing is never cut by it (as without resume: how fast the caller reads is its own).
 */
export class ResumableDownload {
  /** Where the body sits in the representation. */
  readonly target: ResumeTarget
  readonly #resumer: Resumer
  readonly #request: ResumeRequest
  readonly #deadlineAtMs: number
  #delivered = 0
  #episode: AbortController | undefined
  #cancelled: { readonly reason: unknown } | undefined

  /**
   * @param resumer the adapter's resumer: its policy, settings and clock
   * @param target where the body sits in the representation, and its validator
   * @param request where continuations go and how they are named
   * @param startedAtMs when the request started, on the policy's clock (`Resumer.startTime`): the
   *   deadline is counted from it; `undefined` counts it from now
   */
  constructor(resumer: Resumer, target: ResumeTarget, request: ResumeRequest, startedAtMs: number | undefined) {
    this.#resumer = resumer
    this.target = target
    this.#request = request
    const { deadlineMs } = resumer.adapter.limits
    this.#deadlineAtMs = Number.isFinite(deadlineMs) ? (startedAtMs ?? resumer.clock.now()) + deadlineMs : Infinity
  }

  /** The representation position of the next byte the caller needs. */
  get offset(): number {
    return this.target.start + this.#delivered
  }

  /** Bytes handed to the caller so far. */
  get delivered(): number {
    return this.#delivered
  }

  /** True when every byte of a body of known length was handed over: a cut now lost nothing. */
  get complete(): boolean {
    return this.target.end !== undefined && this.offset > this.target.end
  }

  /**
   * Counts `bytes` about to be handed to the caller. Returns a `ResumeError` instead, counting
   * nothing, when they would run past the body's last byte (a continuation longer than its
   * range): those bytes must not be delivered.
   */
  deliver(bytes: number): ResumeError | undefined {
    const { end } = this.target
    if (end !== undefined && this.offset + bytes > end + 1) {
      return new ResumeError(
        'content_range_mismatch',
        this.offset,
        `the body ran past its last byte ${end} (${bytes} more bytes at ${this.offset})`,
      )
    }
    this.#delivered += bytes
    return undefined
  }

  /** The body ended cleanly: a `ResumeError` when it ended before its known last byte, else `undefined`. */
  finish(): ResumeError | undefined {
    const { end } = this.target
    if (end === undefined || this.offset === end + 1) return undefined
    return new ResumeError('content_range_mismatch', this.offset, `the body ended before its last byte ${end}`)
  }

  /**
   * Ends the resume in flight, if any, with `reason`, and any later one before it starts: the
   * caller cancelled the body or aborted the request.
   */
  cancel(reason: unknown): void {
    this.#cancelled ??= { reason }
    this.#episode?.abort(reason)
  }

  /**
   * Continues the body after `cut`, the error that ended it at {@link offset}: runs the policy
   * (the cut is its first attempt) and resolves with a continuation whose first bytes arrived —
   * a `206` checked by `checkContinuation`. Rejects with:
   * - the caller's abort reason, when `signal` (or {@link cancel}) aborts;
   * - `cut` itself, unchanged, when no continuation was sent (the cut is not retryable, the
   *   budget or the deadline allowed none);
   * - a `ResumeError` otherwise: the continuation could not be spliced, or the policy gave up
   *   (`reason: 'gave_up'`, with its `stopReason`).
   *
   * @param signal the caller's signal, if any
   */
  async resume<R>(cut: unknown, transport: ResumeTransport<R>, signal?: AbortSignal): Promise<R> {
    if (this.#cancelled !== undefined) throw this.#cancelled.reason
    if (signal?.aborted === true) throw signal.reason
    const resumer = this.#resumer
    const remainingMs = this.#deadlineAtMs - resumer.clock.now()
    if (remainingMs <= 0) throw cut
    const pending = new Set<R>()
    const episode = new AbortController()
    const given = this.#request
    const description: HttpRequest = {
      method: 'GET',
      url: given.url,
      origin: given.origin,
      headers: undefined,
      oneShotBody: false,
      redress: given.redress,
      signal: episode.signal,
    }
    // The adapter's own run of a GET, so the resume is named, classified, tagged and charged to
    // the origin's budget, breaker and throttle as the adapter's runs are. A response the policy
    // retries is released before the backoff sleep (only one still pending: others were already).
    const run = resumer.adapter.prepare(description, {
      release: (response) => {
        if (pending.delete(response as R)) transport.release(response as R)
      },
    })
    const url = run.url
    if (url === null) throw cut
    const offset = this.offset
    const target = this.target
    const policy = this.#policy(remainingMs)
    const call = run.build()
    const { classifier, resultClassifier } = call
    // The transport's responses may be records around the client's own: classified by their head.
    const classifyResponse = (response: R): ReturnType<typeof resultClassifier> =>
      resultClassifier(transport.head(response))
    call.resultClassifier = (value) => classifyResponse(value as R)
    call.classifier = (error) => (isResumeError(error) ? RESUME_STOP : classifier(error))
    call.tags = { ...call.tags, resume: 'true', resume_offset: offset }
    // Continuations are not hedged: two Range requests racing for one splice buy nothing.
    call.hedge = null
    this.#episode = episode
    const onAbort = (): void => episode.abort(signal?.reason)
    signal?.addEventListener('abort', onAbort, { once: true })
    const headers = continuationHeaders(target, offset)

    let closed = false
    const attempt = async (ctx: AttemptContext): Promise<R> => {
      // The body was cut: that was the attempt that failed, so the policy decides on it first.
      if (ctx.attempt === 1) throw cut
      const response = await transport.send(headers, ctx)
      pending.add(response)
      try {
        if (closed) throw cut
        abandoned(ctx)
        const head = transport.head(response)
        // A status the policy retries (503, 429 …) goes back to it, Retry-After and all; it is
        // released before the backoff sleep, or when the run ends on it.
        if (isRetried(classifyResponse(response))) return response
        const refused = checkContinuation(target, offset, head.status, head.headers)
        if (refused !== undefined) throw refused
        await transport.firstBytes(response, ctx)
        abandoned(ctx)
        return response
      } catch (error) {
        pending.delete(response)
        transport.release(response)
        throw error
      }
    }

    let outcome: RetryOutcome<R>
    try {
      outcome = await policy.execute(attempt, call)
    } finally {
      closed = true
      signal?.removeEventListener('abort', onAbort)
      if (this.#episode === episode) this.#episode = undefined
    }
    const value = outcome.ok ? (outcome.value as R) : undefined
    // Whatever the run did not end on (a response of an abandoned attempt, a refused one) is freed.
    for (const response of pending) if (response !== value) transport.release(response)
    if (outcome.ok) return value as R
    if (outcome.stopReason === 'ABORTED') throw outcome.abortReason
    if (isResumeError(outcome.lastError)) throw outcome.lastError
    if (outcome.attempts <= 1) throw cut
    const status = outcome.cause === 'result' ? transport.head(outcome.lastResult as R).status : undefined
    const stop: StopReason = outcome.stopReason ?? 'MAX_ATTEMPTS_GLOBAL'
    throw new ResumeError(
      status === undefined ? 'gave_up' : 'status',
      offset,
      status === undefined
        ? `the policy stopped retrying (${stop})`
        : `the continuation was answered with status ${status} and the policy stopped retrying (${stop})`,
      { status, stopReason: stop, cause: outcome.cause === 'error' ? outcome.lastError : undefined },
    )
  }

  /** The adapter's policy, with the deadline this download has left. */
  #policy(remainingMs: number): RetryPolicy {
    const policy = this.#resumer.adapter.policy
    // A fresh policy per resume, not per download: only a cut pays for it.
    return Number.isFinite(remainingMs) ? policy.with({ deadlineMs: remainingMs }) : policy
  }
}

/** Throws the reason when the engine abandoned the attempt (its timeout, the deadline, an abort). */
function abandoned(ctx: AttemptContext): void {
  if (ctx.signal.aborted) throw ctx.signal.reason
}

/** True for a failure class the policy may retry (a 503, a 429 …), false for a success or a final status. */
function isRetried(failure: unknown): boolean {
  if (failure === undefined) return false
  const c = toClassification(failure)
  return !NON_RETRYABLE_CLASSES.has(c.errorClass) && c.retryable !== false
}
