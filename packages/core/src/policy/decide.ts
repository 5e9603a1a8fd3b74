import type { RetryBudget } from '../budget/RetryBudget.ts'
import type { Classification } from '../Classification.ts'
import type { RandomSource } from '../Clock.ts'
import { type ErrorClass, NON_RETRYABLE_CLASSES } from '../ErrorClass.ts'
import type { StopReason } from '../events/StopReason.ts'
import { isolate } from '../guard/isolate.ts'
import type { Strategy } from '../strategies/Strategy.ts'
import type { RunState } from './RunState.ts'

/** The limits the decision core reads. */
export interface DecisionLimits {
  readonly maxAttempts: number
  readonly maxUnknownAttempts: number
  readonly perClassMaxAttempts: Readonly<Partial<Record<ErrorClass, number>>>
  readonly maxRetryAfterMs: number | undefined
  readonly fallback: Strategy | undefined
  readonly strategies: ReadonlyMap<ErrorClass, Strategy>
}

/** One failed attempt, already classified. */
export interface FailureFacts {
  readonly classification: Classification
  readonly cause: 'error' | 'result'
}

/** The core's answer. */
export type CoreDecision =
  | { readonly retry: true; readonly delayMs: number; readonly sleepSource: 'strategy' | 'retry_after' }
  | { readonly retry: false; readonly stopReason: StopReason; readonly nextSleepMs: number | undefined }

/**
 * The pure decision core: given the state after a failed attempt (its `attempts`
 * already counts that attempt), the failure and the time, answers "retry after N ms"
 * or "stop with reason R", and returns the next state. It reads time only through
 * `nowMs` and randomness only through `random`; the budget is the one injected
 * dependency with state, asked last, so no token is taken for a retry that will not
 * happen.
 *
 * Order (DESIGN.md §3): per-class cap → non-retryable class → unknown cap → last
 * attempt → deadline → strategy lookup → sleep (sanitised; one reaching the deadline
 * stops) → budget.
 */
export function decide(
  limits: DecisionLimits,
  state: RunState,
  failure: FailureFacts,
  nowMs: number,
  random: RandomSource,
  budget: RetryBudget | undefined,
): { decision: CoreDecision; state: RunState } {
  const { classification } = failure
  const cls = classification.errorClass
  const next = countFailure(state, cls)
  const count = next.classCounts[cls] ?? 0
  const stop = (stopReason: StopReason, nextSleepMs?: number): { decision: CoreDecision; state: RunState } => ({
    decision: { retry: false, stopReason, nextSleepMs },
    state: { ...next, done: true },
  })

  const classCap = limits.perClassMaxAttempts[cls]
  if (classCap !== undefined && count >= classCap) return stop('MAX_ATTEMPTS_PER_CLASS')
  if (NON_RETRYABLE_CLASSES.has(cls) || classification.retryable === false) return stop('NON_RETRYABLE_CLASS')
  if (cls === 'UNKNOWN' && count >= limits.maxUnknownAttempts) return stop('MAX_UNKNOWN_ATTEMPTS')
  if (state.attempts >= limits.maxAttempts) return stop('MAX_ATTEMPTS_GLOBAL')

  const remainingMs = state.deadlineAtMs === null ? Infinity : state.deadlineAtMs - nowMs
  if (remainingMs <= 0) return stop('DEADLINE_EXCEEDED')

  const strategy = limits.strategies.get(cls) ?? limits.fallback
  if (strategy === undefined) return stop('NO_STRATEGY')

  const serverDelay = classification.retryAfterMs
  if (serverDelay !== undefined) {
    // Waiting for a server delay that outlasts the deadline or the cap is a certain failure.
    if (serverDelay >= remainingMs) return stop('DEADLINE_EXCEEDED', serverDelay)
    if (limits.maxRetryAfterMs !== undefined && serverDelay > limits.maxRetryAfterMs) {
      return stop('DEADLINE_EXCEEDED', serverDelay)
    }
  }

  // A throwing strategy must not turn a retryable failure into a crash: retry at once.
  const delayMs = sanitizeDelay(
    isolate(0, strategy, undefined, {
      attempt: state.attempts,
      errorClass: cls,
      classification,
      prevSleepMs: state.prevSleepMs ?? undefined,
      remainingMs,
      cause: failure.cause,
      random,
    }),
  )
  if (delayMs >= remainingMs) return stop('DEADLINE_EXCEEDED', delayMs)

  // A broken budget store must not stop retries silently forever, nor crash the call.
  if (budget !== undefined && isolate(true, budget.tryAcquire, budget) !== true)
    return stop('BUDGET_EXHAUSTED', delayMs)

  return {
    decision: {
      retry: true,
      delayMs,
      sleepSource: serverDelay !== undefined && delayMs >= serverDelay ? 'retry_after' : 'strategy',
    },
    state: { ...next, prevSleepMs: delayMs },
  }
}

/** The state with one more attempt ended in `cls`, which becomes the last class. */
export function countFailure(state: RunState, cls: ErrorClass): RunState {
  return { ...state, classCounts: { ...state.classCounts, [cls]: (state.classCounts[cls] ?? 0) + 1 }, lastClass: cls }
}

/** NaN, negatives and non-numbers become 0; +Infinity stays (longer than any deadline). */
export function sanitizeDelay(ms: unknown): number {
  return typeof ms === 'number' && ms > 0 ? ms : 0
}
