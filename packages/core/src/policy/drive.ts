import { realSleep } from '../Clock.ts'
import { AbortRetryError, isAbortRetryError } from '../errors/AbortRetryError.ts'
import { isolate, isolateAsync } from '../guard/isolate.ts'
import { resolveHedge } from '../hedge/hedgeOption.ts'
import type { CoreDecision } from './decide.ts'
import { callHook } from './emitEvent.ts'
import { HedgedRace } from './HedgedRace.ts'
import type { RaceEnd } from './RaceEnd.ts'
import type { AttemptContext, CallOptions, RetryOutcome, SleepContext } from './RetryOptions.ts'
import { Run } from './Run.ts'
import { initialRunState } from './RunState.ts'
import type { ResolvedPolicy } from './resolveOptions.ts'
import { type AttemptResult, runAttempt } from './runAttempt.ts'

/** The first attempt, when it was already made on the fast path (`PendingCall`). */
export interface FirstAttempt {
  readonly result: AttemptResult
  readonly startMs: number
  readonly endMs: number
}

// The signal a sleeper gets for a call without one; made when first needed, not at import (a
// bundle that never builds a policy then drops it).
let never: AbortSignal | undefined
function neverAborted(): AbortSignal {
  never ??= new AbortController().signal
  return never
}
const ABORT_IF = (): AbortRetryError => new AbortRetryError('abortIf() returned true')

/**
 * The async driver: runs `fn` under the policy until it succeeds or the run stops, and returns
 * the outcome (it never throws for a failed run). Given `first`, the attempt the fast path
 * already made, the run is born with that attempt's start time and carries on from its result;
 * everything a run costs (state, tags, events, timers for later attempts) is paid from here on.
 */
export async function drive<T>(
  p: ResolvedPolicy,
  fn: (ctx: AttemptContext) => unknown,
  call: CallOptions | undefined,
  first: FirstAttempt | undefined,
): Promise<RetryOutcome<T>> {
  const clock = p.clock
  const signal = call?.signal
  const startMs = first?.startMs ?? clock.now()
  const run = new Run(p, call, initialRunState(call?.operation, startMs, p.deadlineMs))
  if (first === undefined && run.admit() !== undefined) return run.outcome<T>(false, undefined, startMs)
  const abortIf = call?.abortIf ?? p.abortIf
  // Hedging (never for a call whose first attempt ran on the fast path: that call had none).
  const hedge = first === undefined ? resolveHedge(p.hedge, call?.hedge) : undefined
  const abort = (reason: unknown, error?: unknown): RetryOutcome<T> => {
    const now = clock.now()
    run.abort(reason, now, error)
    return run.outcome<T>(false, undefined, now)
  }

  let pendingFirst = first
  for (;;) {
    let result: AttemptResult
    let end: number
    let race: RaceEnd | undefined
    if (pendingFirst !== undefined) {
      run.startAttempt(pendingFirst.startMs)
      result = pendingFirst.result
      end = pendingFirst.endMs
      pendingFirst = undefined
    } else {
      if (signal?.aborted) return abort(signal.reason)
      if (abortIf !== undefined && isolate(false, abortIf) === true) return abort(ABORT_IF())
      // The first attempt starts when the run does: no time has passed worth a clock read.
      const now = run.state.attempts === 0 ? startMs : clock.now()
      const attempt = run.beginAttempt(now)
      if (attempt === undefined) return run.outcome<T>(false, undefined, now)
      const deadline = run.state.deadlineAtMs
      const remaining = deadline === null ? Infinity : deadline - now
      const timeoutMs = p.attemptTimeoutMs === undefined ? remaining : Math.min(p.attemptTimeoutMs, remaining)
      if (hedge !== undefined && run.hedges < hedge.maxHedges && attempt < p.maxAttempts) {
        // The latency history learns from the first wave only: a later one started after a backoff.
        const window =
          hedge.afterMs === undefined ? p.latencies.for(hedge.latencyKey ?? call?.operation ?? '') : undefined
        const delayMs = hedge.afterMs ?? (window as NonNullable<typeof window>).hedgeDelayMs(hedge.quantile)
        race = await new HedgedRace(
          run,
          fn,
          p,
          signal,
          abortIf,
          hedge,
          delayMs,
          attempt === 1 ? window : undefined,
        ).run(attempt, now)
        result = race.result
        end = race.endMs
        run.settleAttempt(race.attempt, race.startMs)
      } else {
        result = await runAttempt(fn, attempt, timeoutMs, timeoutMs === remaining, signal, p)
        end = clock.now()
      }
    }

    // abortIf is consulted on a failure before the decision (as Python redress does): an abort
    // ends the call now, the failure recorded, with no retry asked of the budget, no `retry`
    // event and no backoff sleep.
    const aborting = (): boolean => abortIf !== undefined && isolate(false, abortIf) === true
    let decision: CoreDecision | undefined
    switch (result.kind) {
      case 'value': {
        const verdict = race?.verdict ?? { failed: run.classifyValue(result.value) }
        if (verdict.failed !== undefined && aborting()) {
          run.recordAborted(verdict.failed, 'result', undefined, result.value, end, ABORT_IF())
          return run.outcome<T>(false, undefined, end)
        }
        decision = run.recordValue(result.value, end, verdict)
        if (decision === undefined) {
          if (race !== undefined && race.cancelled.length > 0) recordCancelled(run, race, end)
          return run.outcome<T>(true, result.value as T, end)
        }
        break
      }
      case 'aborted':
        return abort(result.reason)
      case 'timeout':
        if (!result.deadline && aborting()) {
          run.recordAborted(run.classifyError(result.error), 'error', result.error, undefined, end, ABORT_IF())
          return run.outcome<T>(false, undefined, end)
        }
        decision = run.recordFailure(
          run.classifyError(result.error),
          'error',
          result.error,
          undefined,
          end,
          result.deadline ? 'DEADLINE_EXCEEDED' : undefined,
        )
        break
      case 'error':
        if (isAbortRetryError(result.error)) return abort(result.error, result.error)
        if (signal?.aborted) return abort(signal.reason)
        if (aborting()) {
          run.recordAborted(run.classifyError(result.error), 'error', result.error, undefined, end, ABORT_IF())
          return run.outcome<T>(false, undefined, end)
        }
        decision = run.recordFailure(run.classifyError(result.error), 'error', result.error, undefined, end)
        break
    }
    if (!decision.retry) return run.outcome<T>(false, undefined, end)

    const sleepCtx = run.sleepContext(decision.delayMs, end)
    const verdict = p.sleepHandler === undefined ? 'sleep' : await sleepVerdict(p.sleepHandler, sleepCtx)
    if (verdict === 'defer') {
      run.stop('SCHEDULED', decision.delayMs, end)
      return run.outcome<T>(false, undefined, end)
    }
    if (verdict === 'abort') return abort(new AbortRetryError('the sleep handler answered "abort"'))
    run.confirmRetry(decision.delayMs, decision.sleepSource, end)
    callHook(p.hooks.beforeSleep, sleepCtx)
    if (call?.beforeSleep !== undefined) callHook(call.beforeSleep, sleepCtx)
    if (decision.delayMs > 0) {
      // A sleeper that fails for another reason than the abort is ignored: the retry goes on.
      await isolateAsync(undefined, backoffSleep, undefined, p, decision.delayMs, signal)
      if (signal?.aborted) return abort(signal.reason)
    }
  }
}

/** Records the attempts a hedged win cancelled (after the success), then points the run back at the winner. */
function recordCancelled(run: Run, race: RaceEnd, end: number): void {
  for (const c of race.cancelled) {
    run.settleAttempt(c.attempt, c.startMs)
    run.recordCancelled(c.reason, end)
  }
  run.settleAttempt(race.attempt, race.startMs)
}

/** The backoff sleep: the `sleeper` option, else the clock's `sleep`, else a real timer. */
function backoffSleep(p: ResolvedPolicy, ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (p.sleeper !== undefined) return p.sleeper(ms, signal ?? neverAborted())
  if (p.clock.sleep !== undefined && !p.realTime) return p.clock.sleep(ms, signal ?? neverAborted())
  return realSleep(ms, signal)
}

/** The sleep handler's verdict; anything but 'defer' or 'abort', a throw or a rejection is 'sleep'. */
async function sleepVerdict(
  handler: NonNullable<ResolvedPolicy['sleepHandler']>,
  ctx: SleepContext,
): Promise<'sleep' | 'defer' | 'abort'> {
  const v = await isolateAsync('sleep', handler, undefined, ctx)
  return v === 'defer' || v === 'abort' ? v : 'sleep'
}
