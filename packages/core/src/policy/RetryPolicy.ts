import { realSleep } from '../Clock.ts'
import { safeClassifyResult } from '../classify/safeClassify.ts'
import { describeValue } from '../describeValue.ts'
import { EventName } from '../EventName.ts'
import { AbortRetryError, isAbortRetryError } from '../errors/AbortRetryError.ts'
import { CircuitOpenError } from '../errors/CircuitOpenError.ts'
import { RetryExhaustedError } from '../errors/RetryExhaustedError.ts'
import { activeDiagnosticsChannel } from '../observability/diagnosticsPublisher.ts'
import { StopReason } from '../StopReason.ts'
import type { CoreDecision } from './decide.ts'
import { callHook, safeCall } from './emitEvent.ts'
import type { AttemptContext, CallOptions, RetryOptions, RetryOutcome, SleepContext } from './RetryOptions.ts'
import { RunCore } from './RunCore.ts'
import { initialRunState, type RunState } from './RunState.ts'
import {
  budgetOf,
  budgetOption,
  checkHooks,
  fn as fnOption,
  isQuiet,
  nonNegativeMs,
  type ResolvedPolicy,
  resolveOptions,
  tagsOption,
} from './resolveOptions.ts'
import { type AttemptResult, runAttempt as runAttemptFor } from './runAttempt.ts'
import { StepRun } from './StepRun.ts'

/** An operation run under a policy: receives the attempt number and a signal. */
export type Operation<T> = (ctx: AttemptContext) => T | PromiseLike<T>

/** Options of `policy.start()` (the step API). */
export interface StartOptions extends Omit<CallOptions, 'signal' | 'abortIf' | 'captureTimeline'> {}

const NEVER: AbortSignal = new AbortController().signal

/**
 * A retry policy: classifies each failure, picks that class's backoff, and stops on
 * caps, the deadline, the budget or the breaker — reporting every decision through
 * `onMetric`/`onLog`. Policies are immutable and safe to share.
 *
 * @example
 * const policy = new RetryPolicy({ strategy: decorrelatedJitter({ maxMs: 10_000 }), maxAttempts: 4 })
 * const user = await policy.call(({ signal }) => getUser(id, { signal }), { operation: 'getUser' })
 */
export class RetryPolicy {
  /** The validated options. Internal; read-only. */
  readonly resolved: ResolvedPolicy
  readonly #options: RetryOptions

  /** @throws TypeError/RangeError naming the option, for any invalid option. */
  constructor(options?: RetryOptions) {
    this.resolved = resolveOptions(options)
    this.#options = { ...options }
  }

  /** The options this policy was built from (a copy). */
  get options(): RetryOptions {
    return { ...this.#options }
  }

  /** A new policy with these options changed. */
  with(overrides: RetryOptions): RetryPolicy {
    return new RetryPolicy({ ...this.#options, ...overrides })
  }

  /**
   * Runs `fn` with retries. Resolves with its value; rejects with the original last
   * error (same object) whatever stopped the run, with `signal.reason` when the
   * caller aborts, with an `AbortRetryError` for other aborts, with a
   * `RetryExhaustedError` when a result stopped the run or the retry was deferred,
   * and with a `CircuitOpenError` when the breaker is open.
   */
  async call<T>(fn: Operation<T>, options?: CallOptions): Promise<T> {
    const outcome = await this.drive(fn, options)
    if (outcome.ok) return outcome.value as T
    throw rejectionOf(outcome)
  }

  /** Runs `fn` with retries and returns the outcome; never throws for a failed run. */
  async execute<T>(fn: Operation<T>, options?: CallOptions): Promise<RetryOutcome<T>> {
    return this.drive(fn, options)
  }

  /**
   * The async driver behind `call` and `execute`: the outcome, plus the value an
   * abort rejects with. Subclasses (e.g. `RecordingPolicy`) may wrap it.
   */
  protected async drive<T>(fn: Operation<T>, options: CallOptions | undefined): Promise<RetryOutcome<T>> {
    if (typeof fn !== 'function')
      throw new TypeError(`policy.call(fn): fn must be a function, got ${describeValue(fn)}`)
    const call = options === undefined ? undefined : checkCallOptions(options)
    const p = this.resolved
    const clock = p.clock
    const signal = call?.signal

    // Fast path: when nothing listens (no hook, breaker, abortIf, timeline or diagnostics
    // subscriber), a first attempt that succeeds needs no run state at all. Anything else
    // hands the attempt it already made to the full run below.
    let first: { result: AttemptResult; startMs: number; endMs: number } | undefined
    if (p.quiet && (call === undefined || isQuietCall(call)) && signal?.aborted !== true && !successObserved()) {
      const startMs = clock.now()
      const timeoutMs = p.attemptTimeoutMs === undefined ? p.deadlineMs : Math.min(p.attemptTimeoutMs, p.deadlineMs)
      const result = await runAttemptFor(fn, 1, timeoutMs, timeoutMs === p.deadlineMs, signal, p)
      const endMs = clock.now()
      if (result.kind === 'value') {
        const rc = call?.resultClassifier ?? p.resultClassifier
        if (rc === undefined || safeClassifyResult(rc, result.value) === undefined) {
          for (const o of p.observers) safeCall(() => o.recordSuccess())
          const budget = budgetOf(p, call)
          if (budget !== undefined) safeCall(() => budget.recordSuccess())
          return successOutcome(result.value as T, endMs - startMs)
        }
      }
      first = { result, startMs, endMs }
    }

    const startMs = first?.startMs ?? clock.now()
    const run = new RunCore(p, call, initialRunState(call?.operation, startMs, p.deadlineMs))
    if (first === undefined && run.admit() !== undefined) return run.outcome<T>(false, undefined, startMs)
    const abortIf = call?.abortIf ?? p.abortIf

    for (;;) {
      let result: AttemptResult
      let end: number
      if (first !== undefined) {
        run.startAttempt(first.startMs)
        result = first.result
        end = first.endMs
        first = undefined
      } else {
        if (signal?.aborted) return this.#abort(run, signal.reason)
        if (abortIf !== undefined && safePredicate(abortIf))
          return this.#abort(run, new AbortRetryError('abortIf() returned true'))
        // The first attempt starts when the run does: no time has passed worth a clock read.
        const now = run.state.attempts === 0 ? startMs : clock.now()
        const remaining = run.state.deadlineAtMs === null ? Infinity : run.state.deadlineAtMs - now
        if (remaining <= 0) {
          run.stop(StopReason.DEADLINE_EXCEEDED, undefined, now)
          return run.outcome<T>(false, undefined, now)
        }
        const attempt = run.startAttempt(now)
        const timeoutMs = p.attemptTimeoutMs === undefined ? remaining : Math.min(p.attemptTimeoutMs, remaining)
        result = await runAttemptFor(fn, attempt, timeoutMs, timeoutMs === remaining, signal, p)
        end = clock.now()
      }

      let decision: CoreDecision | undefined
      switch (result.kind) {
        case 'value':
          decision = run.recordValue(result.value, end)
          if (decision === undefined) return run.outcome<T>(true, result.value as T, end)
          break
        case 'aborted':
          return this.#abort(run, result.reason)
        case 'timeout':
          decision = run.recordFailure(
            run.classifyError(result.error),
            'error',
            result.error,
            undefined,
            end,
            result.deadline ? StopReason.DEADLINE_EXCEEDED : undefined,
          )
          break
        case 'error':
          if (isAbortRetryError(result.error)) {
            run.lastError = result.error
            return this.#abort(run, result.error)
          }
          if (signal?.aborted) return this.#abort(run, signal.reason)
          decision = run.recordFailure(run.classifyError(result.error), 'error', result.error, undefined, end)
          break
      }
      if (!decision.retry) return run.outcome<T>(false, undefined, end)

      const sleepCtx = this.#sleepContext(run, decision.delayMs, end)
      const verdict = p.sleepHandler === undefined ? 'sleep' : await safeSleepHandler(p.sleepHandler, sleepCtx)
      if (verdict === 'defer') {
        run.stop(StopReason.SCHEDULED, decision.delayMs, end)
        return run.outcome<T>(false, undefined, end)
      }
      if (verdict === 'abort') return this.#abort(run, new AbortRetryError('the sleep handler answered "abort"'))
      run.confirmRetry(decision.delayMs, decision.sleepSource, end)
      callHook(p.hooks.beforeSleep, sleepCtx)
      if (call?.beforeSleep !== undefined) callHook(call.beforeSleep, sleepCtx)
      if (decision.delayMs > 0) {
        try {
          await this.#sleep(decision.delayMs, signal)
        } catch {
          // A sleeper that fails for another reason than the abort is ignored: the retry goes on.
        }
        if (signal?.aborted) return this.#abort(run, signal.reason)
      }
    }
  }

  /**
   * Binds an operation name (and other call options) for a batch of calls:
   * `const doRetry = policy.context({ operation: 'batch' }); await doRetry(fetchUser, 'user-1')`.
   */
  context(
    options?: CallOptions,
  ): <A extends unknown[], T>(fn: (...args: A) => T | PromiseLike<T>, ...args: A) => Promise<T> {
    const bound = options === undefined ? undefined : checkCallOptions(options)
    return <A extends unknown[], T>(fn: (...args: A) => T | PromiseLike<T>, ...args: A): Promise<T> =>
      this.call(() => fn(...args), bound)
  }

  /**
   * Starts a run driven by an external scheduler (the step API): report each
   * attempt's outcome with `run.recordFailure(error)` / `run.recordSuccess(value)` and
   * schedule the next attempt after the returned `delayMs`. Time is read from the
   * policy's `clock` when one was given, else from `Date.now()` (so a state carried to
   * another process keeps its deadline).
   */
  start(options?: StartOptions): StepRun {
    const call = options === undefined ? undefined : checkCallOptions(options)
    const now = this.#stepNow()
    return new StepRun(
      new RunCore(this.resolved, call, initialRunState(call?.operation, now, this.resolved.deadlineMs)),
      () => this.#stepNow(),
    )
  }

  /** Continues a run from `run.state` (e.g. parsed from JSON after a restart). */
  resume(state: RunState, options?: StartOptions): StepRun {
    const call = options === undefined ? undefined : checkCallOptions(options)
    return new StepRun(new RunCore(this.resolved, call, StepRun.checkState(state)), () => this.#stepNow(), true)
  }

  #stepNow(): number {
    return this.#options.clock === undefined ? Date.now() : this.resolved.clock.now()
  }

  #abort<T>(run: RunCore, reason: unknown): RetryOutcome<T> {
    const now = this.resolved.clock.now()
    run.abortReason = reason
    run.stop(StopReason.ABORTED, undefined, now)
    return run.outcome<T>(false, undefined, now)
  }

  #sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
    const p = this.resolved
    const s = signal ?? NEVER
    if (p.sleeper !== undefined) return p.sleeper(ms, s)
    if (p.clock.sleep !== undefined && !p.realTime) return p.clock.sleep(ms, s)
    return realSleep(ms, signal)
  }

  #sleepContext(run: RunCore, sleepMs: number, nowMs: number): SleepContext {
    const deadline = run.state.deadlineAtMs
    return {
      attempt: run.state.attempts,
      operation: run.state.operation ?? undefined,
      sleepMs,
      errorClass: run.state.lastClass ?? 'UNKNOWN',
      classification: run.lastClassification ?? { errorClass: run.state.lastClass ?? 'UNKNOWN' },
      error: run.lastCause === 'error' ? run.lastError : undefined,
      result: run.lastCause === 'result' ? run.lastResult : undefined,
      remainingMs: deadline === null ? Infinity : deadline - nowMs,
    }
  }
}

/**
 * `AsyncRetryPolicy` is `RetryPolicy`: in JavaScript every policy is async, so there
 * is one mental model by construction.
 */
export const AsyncRetryPolicy: typeof RetryPolicy = RetryPolicy
/** `AsyncRetryPolicy` is `RetryPolicy`. */
export type AsyncRetryPolicy = RetryPolicy

function checkCallOptions<O extends CallOptions>(o: O): O {
  if (typeof o !== 'object' || o === null)
    throw new TypeError(`call options must be an object, got ${describeValue(o)}`)
  if (o.operation !== undefined && typeof o.operation !== 'string') {
    throw new TypeError(`operation must be a string, got ${describeValue(o.operation)}`)
  }
  if (o.signal !== undefined && !(typeof o.signal === 'object' && o.signal !== null && 'aborted' in o.signal)) {
    throw new TypeError(`signal must be an AbortSignal, got ${describeValue(o.signal)}`)
  }
  fnOption(o.classifier, 'classifier')
  fnOption(o.resultClassifier, 'resultClassifier')
  fnOption(o.abortIf, 'abortIf')
  budgetOption(o.budget, 'budget')
  tagsOption(o.tags, 'tags')
  nonNegativeMs(o.maxRetryAfterMs, 'maxRetryAfterMs')
  checkHooks(o, 'call')
  return o
}

/** A per-call options object that adds no hook, abortIf or timeline. */
function isQuietCall(call: CallOptions): boolean {
  return isQuiet(call) && call.abortIf === undefined && call.captureTimeline !== true
}

function successObserved(): boolean {
  return activeDiagnosticsChannel(EventName.SUCCESS) !== undefined
}

function successOutcome<T>(value: T, elapsedMs: number): RetryOutcome<T> {
  return {
    ok: true,
    value,
    stopReason: undefined,
    attempts: 1,
    lastClass: undefined,
    lastError: undefined,
    lastResult: undefined,
    cause: undefined,
    elapsedMs,
    nextSleepMs: undefined,
    timeline: undefined,
    abortReason: undefined,
  }
}

function safePredicate(f: () => boolean): boolean {
  try {
    return f() === true
  } catch {
    return false
  }
}

async function safeSleepHandler(
  handler: NonNullable<ResolvedPolicy['sleepHandler']>,
  ctx: SleepContext,
): Promise<'sleep' | 'defer' | 'abort'> {
  try {
    const v = await handler(ctx)
    return v === 'defer' || v === 'abort' ? v : 'sleep'
  } catch {
    return 'sleep'
  }
}

/**
 * The value `policy.call` rejects with for a failed outcome of `execute`: the original last
 * error (same object) when an error stopped the run; the abort reason (`signal.reason`,
 * or an `AbortRetryError`) for `ABORTED`; a `CircuitOpenError` for `CIRCUIT_OPEN`; a
 * `RetryExhaustedError` when a result stopped the run or the retry was deferred.
 * Adapters and other drivers use it to reject exactly as `call` does.
 */
export function rejectionOf(outcome: RetryOutcome<unknown>): unknown {
  switch (outcome.stopReason) {
    case StopReason.CIRCUIT_OPEN:
      return new CircuitOpenError(undefined, { retryInMs: outcome.nextSleepMs })
    case StopReason.ABORTED:
      return outcome.abortReason ?? new AbortRetryError()
    case StopReason.SCHEDULED:
      return exhausted(outcome)
    default:
      return outcome.cause === 'error' ? outcome.lastError : exhausted(outcome)
  }
}

function exhausted(o: RetryOutcome<unknown>): RetryExhaustedError {
  return new RetryExhaustedError({
    stopReason: o.stopReason ?? StopReason.ABORTED,
    attempts: o.attempts,
    lastClass: o.lastClass,
    lastError: o.lastError,
    lastResult: o.lastResult,
    nextSleepMs: o.nextSleepMs,
  })
}
