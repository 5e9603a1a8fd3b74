import { safeClassifyResult } from '../classify/safeClassify.ts'
import { isolate } from '../guard/isolate.ts'
import { isThenable } from './Attempt.ts'
import { admitFirst } from './admitFirst.ts'
import type { CallMore } from './CallMore.ts'
import type { Abandonable, CallFinish, CallSink, Cancellable, DeferredCall, FirstAttemptCall } from './callFinish.ts'
import { continueRun } from './continueRun.ts'
import { creditSuccess } from './creditSuccess.ts'
import type { DeadlineEntry } from './DeadlineQueue.ts'
import { abortFirst, attemptSignal, moreOf, onFirstAbort } from './firstAttemptAbort.ts'
import { armFirst, expireFirst, releaseFirst, watchFirst } from './firstAttemptWatch.ts'
import { ownedPromise } from './ownedPromise.ts'
import type { AttemptContext, CallOptions } from './RetryOptions.ts'
import { refusedOutcome } from './refusedOutcome.ts'
import { RESOLVED } from './resolvedPromise.ts'
import { budgetOf, type ResolvedPolicy } from './resolveOptions.ts'
import type { ArmedTimer, AttemptResult } from './runAttempt.ts'

/**
 * The cheap start of every quiet call (no hook, breaker, abortIf, timeline or diagnostics
 * subscriber): a bare first attempt. It owns the caller's promise, the attempt's context and
 * its place in the policy's deadline queue — one object, no run state, no timer, no signal.
 * A first attempt that succeeds ends here, with the budget and observers credited exactly as
 * a full run would; anything else (an error, a rejected result, a timeout, an abort) is handed,
 * with its start time, to the full run (`drive`), which carries on from it.
 */
export class PendingCall<R> implements FirstAttemptCall, DeadlineEntry, Cancellable {
  // Times start undefined, not 0 or NaN: a double-typed field would box a number in every
  // call object, and only attempts that outlive their first microtasks ever get a time.
  expiresAtMs: number | undefined = undefined
  pending = true
  // @internal like the fields below but #source, #finish and the resolvers: read by firstAttempt*.ts.
  readonly p: ResolvedPolicy
  // What sends the attempts: `fn`, or the sink of a call run without promises (`run`).
  readonly #source: ((ctx: AttemptContext) => unknown) | CallSink<R>
  readonly call: CallOptions | undefined
  readonly deferred: DeferredCall | undefined
  readonly #finish: CallFinish<R>
  // The first attempt a sink sent.
  sent: Abandonable | undefined
  // Set when the attempt is armed; one that settles before that started when it ended.
  startMs: number | undefined = undefined
  armed: ArmedTimer | undefined
  macroSlot = -1
  #resolve: ((value: R) => void) | undefined
  #reject: ((error: unknown) => void) | undefined
  // The first abort listener (most attempts have one at most, an adapter's): no Attempt for it.
  listener: ((reason: unknown) => void) | undefined
  // What a caller's signal, an abort, a second listener or a policy throttle needs: made then.
  more: CallMore | undefined

  constructor(
    p: ResolvedPolicy,
    fn: ((ctx: AttemptContext) => unknown) | undefined,
    call: CallOptions | undefined,
    deferred: DeferredCall | undefined,
    finish: CallFinish<R>,
    sink?: CallSink<R>,
  ) {
    this.p = p
    this.#source = sink ?? (fn as (ctx: AttemptContext) => unknown)
    this.call = call
    this.deferred = deferred
    this.#finish = finish
  }

  /** Always 1: the fast path only ever makes the first attempt. */
  get attempt(): number {
    return 1
  }

  /** What `JSON.stringify` shows of the context, as of a full run's (and `console.log`: see RetryPolicy): not the call behind it. */
  toJSON(): { attempt: number } {
    return { attempt: 1 }
  }

  get signal(): AbortSignal {
    return attemptSignal(this)
  }

  onAbort(listener: (reason: unknown) => void): () => void {
    return onFirstAbort(this, listener)
  }

  /** Aborts the attempt: its signal, its `onAbort` listeners and a sink's attempt (once). */
  abort(reason: unknown): void {
    abortFirst(this, reason)
  }

  /** Runs the first attempt; the promise settles as `finish` says. */
  start(): Promise<R> {
    const promise = ownedPromise<R>(this)
    const admitted = admitFirst(this.p, this.call, this.deferred)
    if (admitted === false) {
      this.#refuse()
      return promise
    }
    if (admitted !== true) moreOf(this).throttle = admitted
    let returned: unknown
    try {
      returned = (this.#source as (ctx: AttemptContext) => unknown)(this)
    } catch (error) {
      this.#settle({ kind: 'error', error })
      return promise
    }
    if (!isThenable(returned)) {
      this.#value(returned)
      return promise
    }
    // Bound methods, not arrows: two bound functions cost less than two closures and the context
    // they share (about 55 bytes a call on Node 20), and run no slower.
    returned.then(this.#value.bind(this), this.#failed.bind(this))
    watchFirst(this)
    return promise
  }

  /** Runs the first attempt through the sink (no promise for call or attempt); it ends through `sink.resolved`/`rejected`. */
  run(): void {
    const sink = this.#source as CallSink<R>
    const admitted = admitFirst(this.p, this.call, this.deferred)
    if (admitted === false) {
      // A refusal reaches the caller asynchronously, as a rejected promise would.
      RESOLVED.then(() => this.#refuse())
      return
    }
    if (admitted !== true) moreOf(this).throttle = admitted
    try {
      this.sent = sink.first(this)
    } catch (error) {
      this.#settle({ kind: 'error', error })
      return
    }
    // The attempt may have reported a success already (or the call have ended).
    if (!this.pending) return
    watchFirst(this)
  }

  attemptSucceeded(value: unknown): void {
    if (!this.pending) return
    if (this.#isSuccess(value)) this.#value(value)
    else this.attemptSettled(value)
  }

  attemptSettled(value: unknown): void {
    if (!this.pending) return
    // Handled as a promise reaction would be: a microtask later, unless the call ended first.
    RESOLVED.then(() => this.#value(value))
  }

  attemptFailed(error: unknown): void {
    if (!this.pending) return
    RESOLVED.then(() => this.#settle({ kind: 'error', error }))
  }

  /** Ends a call its throttle refused: never sent, it stops with `THROTTLED` as a full run would. */
  #refuse(): void {
    this.pending = false
    const deferred = this.deferred
    const call = deferred === undefined ? this.call : deferred.build()
    let result: R
    try {
      result = this.#finish.outcome(refusedOutcome(this.p, call), deferred)
    } catch (error) {
      this.#rejectWith(error)
      return
    }
    this.#resolveWith(result)
  }

  #resolveWith(value: R): void {
    const source = this.#source
    if (typeof source !== 'function') source.resolved(value)
    else this.#resolve?.(value)
  }

  #rejectWith(error: unknown): void {
    const source = this.#source
    if (typeof source !== 'function') source.rejected(error)
    else this.#reject?.(error)
  }

  /** @internal receives the caller's promise's resolvers (from `ownedPromise`). */
  setResolvers(resolve: (value: R) => void, reject: (error: unknown) => void): void {
    this.#resolve = resolve
    this.#reject = reject
  }

  /** Starts the attempt's deadline, `nowMs` being the start time, if it is still pending. */
  arm(nowMs: number): void {
    armFirst(this, nowMs)
  }

  /** The deadline queue (or timer) says the attempt overran. */
  expire(): void {
    if (this.pending) this.#settle(expireFirst(this))
  }

  #failed(error: unknown): void {
    this.#settle({ kind: 'error', error })
  }

  cancel(reason: unknown): void {
    if (!this.pending) return
    this.abort(reason)
    this.#settle({ kind: 'aborted', reason })
  }

  #value(value: unknown): void {
    if (!this.pending) return
    if (!this.#isSuccess(value)) {
      this.#settle({ kind: 'value', value })
      return
    }
    releaseFirst(this)
    const p = this.p
    creditSuccess(p, this.deferred ?? budgetOf(p, this.call))
    const throttle = this.more?.throttle
    if (throttle !== undefined) isolate(undefined, throttle.recordSuccess, throttle)
    let result: R
    try {
      result = this.#finish.success(value, this.startMs, p)
    } catch (error) {
      this.#rejectWith(error)
      return
    }
    this.#resolveWith(result)
  }

  #isSuccess(value: unknown): boolean {
    if (this.deferred !== undefined) return this.deferred.isSuccess(value)
    const rc = this.call?.resultClassifier ?? this.p.resultClassifier
    return rc === undefined || safeClassifyResult(rc, value) === undefined
  }

  /** Hands the first attempt's result to a full run, which decides what comes next. */
  #settle(result: AttemptResult): void {
    if (!this.pending) return
    releaseFirst(this)
    const p = this.p
    const endMs = p.clock.now()
    const startMs = this.startMs ?? endMs
    const first = { result, startMs, endMs }
    const call = this.deferred === undefined ? this.call : this.deferred.build()
    continueRun(p, this.#source, call, first, this.#finish, this.deferred, this.#resolve, this.#reject)
  }
}
