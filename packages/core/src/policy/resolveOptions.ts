import type { CircuitBreakerLike } from '../breaker/CircuitBreakerLike.ts'
import type { RetryBudget } from '../budget/RetryBudget.ts'
import type { Classifier, ResultClassifier } from '../Classification.ts'
import { type Clock, type RandomSource, type Sleeper, systemClock } from '../Clock.ts'
import { defaultClassifier } from '../classify/defaultClassifier.ts'
import { type ErrorClass, isErrorClass } from '../ErrorClass.ts'
import {
  attemptsOption,
  clockOption,
  functionOption,
  msOption,
  NON_NEGATIVE_OR_INFINITE,
  objectOption,
  optionNames,
  optionsObject,
} from '../guard/validate.ts'
import type { ResolvedHedge } from '../hedge/HedgeOptions.ts'
import { hedgeOption, resolveHedge } from '../hedge/hedgeOption.ts'
import { LatencyHistory } from '../hedge/LatencyHistory.ts'
import { decorrelatedJitter } from '../strategies/decorrelatedJitter.ts'
import { isOutcomeObserver, normalizeStrategy, type OutcomeObserver, type Strategy } from '../strategies/Strategy.ts'
import type { AdmissionThrottle } from '../throttle/AdmissionThrottle.ts'
import { DeadlineQueue } from './DeadlineQueue.ts'
import { breakerOption, budgetOption, throttleOption } from './gateOptions.ts'
import {
  type EventTags,
  RETRY_DEFAULTS,
  type RetryHooks,
  type RetryOptions,
  type SleepHandler,
} from './RetryOptions.ts'

/** A policy's options after validation and defaulting. Internal. */
export interface ResolvedPolicy {
  readonly classifier: Classifier
  readonly resultClassifier: ResultClassifier | undefined
  readonly fallback: Strategy | undefined
  readonly strategies: ReadonlyMap<ErrorClass, Strategy>
  readonly observers: readonly OutcomeObserver[]
  readonly deadlineMs: number
  readonly maxAttempts: number
  readonly maxUnknownAttempts: number
  readonly perClassMaxAttempts: Readonly<Partial<Record<ErrorClass, number>>>
  readonly attemptTimeoutMs: number | undefined
  readonly maxRetryAfterMs: number | undefined
  readonly budget: RetryBudget | undefined
  readonly circuitBreaker: CircuitBreakerLike | undefined
  readonly throttle: AdmissionThrottle | undefined
  /** The policy's hedging, defaulted; `undefined` when off (a call may still turn it on). */
  readonly hedge: ResolvedHedge | undefined
  /** The recent latency of each operation (or origin), read and fed by hedged calls. */
  readonly latencies: LatencyHistory
  readonly sleepHandler: SleepHandler | undefined
  readonly sleeper: Sleeper | undefined
  readonly clock: Clock
  /** True when the clock is the built-in system clock (enables the real-timer fast path). */
  readonly realTime: boolean
  readonly random: RandomSource
  readonly abortIf: (() => boolean) | undefined
  readonly tags: EventTags | undefined
  readonly hooks: RetryHooks
  /** No hook, breaker or abortIf: a first attempt that succeeds needs no run bookkeeping. */
  readonly quiet: boolean
  /**
   * The shared timer that cuts first attempts at the deadline (or `attemptTimeoutMs`), for the
   * system clock; `undefined` with an injected clock or when attempts have no finite limit.
   */
  readonly deadlines: DeadlineQueue | undefined
}

const OWNER = 'RetryPolicy'

/** Every option name `RetryPolicy` accepts (tied to `RetryOptions`); any other name is a TypeError. */
export const KNOWN_OPTIONS: ReadonlySet<string> = optionNames<RetryOptions>({
  classifier: true,
  strategy: true,
  strategies: true,
  deadlineMs: true,
  maxAttempts: true,
  maxUnknownAttempts: true,
  perClassMaxAttempts: true,
  attemptTimeoutMs: true,
  maxRetryAfterMs: true,
  budget: true,
  circuitBreaker: true,
  throttle: true,
  resultClassifier: true,
  hedge: true,
  sleep: true,
  sleeper: true,
  clock: true,
  random: true,
  abortIf: true,
  tags: true,
  onMetric: true,
  onLog: true,
  onAttemptStart: true,
  onAttemptEnd: true,
  beforeSleep: true,
})

/** Validates and defaults policy options. Throws a TypeError/RangeError naming the option. */
export function resolveOptions(options: RetryOptions | undefined): ResolvedPolicy {
  const o = optionsObject(OWNER, options, KNOWN_OPTIONS) as RetryOptions
  const strategies = new Map<ErrorClass, Strategy>()
  if (o.strategies !== undefined) {
    for (const [key, value] of classKeyed(o.strategies, 'strategies')) {
      strategies.set(key, normalizeStrategy(value as Strategy, `strategies.${key}`))
    }
  }
  const fallback =
    o.strategy !== undefined
      ? normalizeStrategy(o.strategy, 'strategy')
      : o.strategies === undefined
        ? decorrelatedJitter()
        : undefined
  const observers: OutcomeObserver[] = []
  for (const s of [fallback, ...strategies.values()]) {
    if (isOutcomeObserver(s) && !observers.includes(s)) observers.push(s)
  }
  // A legacy strategy is wrapped, so look for observers on the originals too.
  for (const s of [o.strategy, ...Object.values(o.strategies ?? {})]) {
    if (isOutcomeObserver(s) && !observers.includes(s)) observers.push(s)
  }

  const perClassMaxAttempts: Partial<Record<ErrorClass, number>> = {}
  if (o.perClassMaxAttempts !== undefined) {
    for (const [key, value] of classKeyed(o.perClassMaxAttempts, 'perClassMaxAttempts')) {
      const count = attemptsOption(OWNER, `perClassMaxAttempts.${key}`, value)
      if (count !== undefined) perClassMaxAttempts[key] = count
    }
  }

  const clock = clockOption(OWNER, o.clock) ?? systemClock

  const deadlineMs =
    msOption(OWNER, 'deadlineMs', o.deadlineMs, { min: 0, minExclusive: true, infinity: true }) ??
    RETRY_DEFAULTS.deadlineMs
  const attemptTimeoutMs = msOption(OWNER, 'attemptTimeoutMs', o.attemptTimeoutMs)
  const firstAttemptMs = attemptTimeoutMs === undefined ? deadlineMs : Math.min(attemptTimeoutMs, deadlineMs)
  const realTime = clock === systemClock
  return {
    classifier: functionOption(OWNER, 'classifier', o.classifier) ?? defaultClassifier,
    resultClassifier: functionOption(OWNER, 'resultClassifier', o.resultClassifier),
    fallback,
    strategies,
    observers,
    deadlineMs,
    maxAttempts: attemptsOption(OWNER, 'maxAttempts', o.maxAttempts) ?? RETRY_DEFAULTS.maxAttempts,
    maxUnknownAttempts:
      attemptsOption(OWNER, 'maxUnknownAttempts', o.maxUnknownAttempts) ?? RETRY_DEFAULTS.maxUnknownAttempts,
    perClassMaxAttempts,
    attemptTimeoutMs,
    maxRetryAfterMs: msOption(OWNER, 'maxRetryAfterMs', o.maxRetryAfterMs, NON_NEGATIVE_OR_INFINITE),
    budget: budgetOption(OWNER, o.budget) ?? undefined,
    circuitBreaker: breakerOption(OWNER, o.circuitBreaker),
    throttle: throttleOption(OWNER, o.throttle) ?? undefined,
    hedge: resolveHedge(undefined, hedgeOption(OWNER, o.hedge) || undefined),
    latencies: new LatencyHistory(),
    sleepHandler: functionOption(OWNER, 'sleep', o.sleep),
    sleeper: functionOption(OWNER, 'sleeper', o.sleeper),
    clock,
    realTime,
    random: functionOption(OWNER, 'random', o.random) ?? Math.random,
    abortIf: functionOption(OWNER, 'abortIf', o.abortIf),
    tags: objectOption<EventTags>(OWNER, 'tags', o.tags),
    hooks: hooksOption(o, OWNER),
    quiet: o.circuitBreaker === undefined && o.abortIf === undefined && isQuiet(o),
    deadlines: realTime && Number.isFinite(firstAttemptMs) ? new DeadlineQueue(firstAttemptMs) : undefined,
  }
}

/** True when `hooks` has none of the per-attempt or event hooks. */
export function isQuiet(hooks: RetryHooks): boolean {
  return (
    hooks.onMetric === undefined &&
    hooks.onLog === undefined &&
    hooks.onAttemptStart === undefined &&
    hooks.onAttemptEnd === undefined
  )
}

/** The entries of an object keyed by error class (`strategies`, `perClassMaxAttempts`). */
function classKeyed(value: unknown, name: string): [ErrorClass, unknown][] {
  const record = objectOption<Record<string, unknown>>(OWNER, name, value) ?? {}
  const entries: [ErrorClass, unknown][] = []
  for (const [key, v] of Object.entries(record)) {
    if (!isErrorClass(key)) throw new TypeError(`${OWNER}: ${name} has a key "${key}" that is not an ErrorClass`)
    if (v !== undefined) entries.push([key, v])
  }
  return entries
}

/** Picks and checks the hook functions of an options object. */
function hooksOption(o: RetryHooks, owner: string): RetryHooks {
  checkHooks(o, owner)
  return {
    onMetric: o.onMetric,
    onLog: o.onLog,
    onAttemptStart: o.onAttemptStart,
    onAttemptEnd: o.onAttemptEnd,
    beforeSleep: o.beforeSleep,
  }
}

const HOOK_NAMES = ['onMetric', 'onLog', 'onAttemptStart', 'onAttemptEnd', 'beforeSleep'] as const

/** Checks that every hook present is a function; builds no message unless one is not (this runs per call). */
export function checkHooks(o: RetryHooks, owner: string): void {
  for (const name of HOOK_NAMES) {
    const hook = o[name]
    if (hook !== undefined && typeof hook !== 'function') functionOption(owner, name, hook)
  }
}

/** The budget a call uses: its own (`null` = none) or the policy's. */
export function budgetOf(
  p: ResolvedPolicy,
  call: { readonly budget?: RetryBudget | null | undefined } | undefined,
): RetryBudget | undefined {
  return call?.budget === undefined ? p.budget : (call.budget ?? undefined)
}

/** The throttle a call uses: its own (`null` = none) or the policy's. */
export function throttleOf(
  p: ResolvedPolicy,
  call: { readonly throttle?: AdmissionThrottle | null | undefined } | undefined,
): AdmissionThrottle | undefined {
  const own = call?.throttle
  return own === undefined ? p.throttle : (own ?? undefined)
}
