import type { CircuitBreakerLike } from '../breaker/CircuitBreakerLike.ts'
import type { RetryBudget } from '../budget/RetryBudget.ts'
import type { Classifier, ResultClassifier } from '../Classification.ts'
import { type Clock, type RandomSource, type Sleeper, systemClock } from '../Clock.ts'
import { defaultClassifier } from '../classify/defaultClassifier.ts'
import { describeValue } from '../describeValue.ts'
import { type ErrorClass, isErrorClass } from '../ErrorClass.ts'
import { decorrelatedJitter } from '../strategies/decorrelatedJitter.ts'
import { isOutcomeObserver, normalizeStrategy, type OutcomeObserver, type Strategy } from '../strategies/Strategy.ts'
import { DeadlineQueue } from './DeadlineQueue.ts'
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

/** Every option name `RetryPolicy` accepts; any other name is a TypeError. */
export const KNOWN_OPTIONS: ReadonlySet<string> = new Set([
  'classifier',
  'strategy',
  'strategies',
  'deadlineMs',
  'maxAttempts',
  'maxUnknownAttempts',
  'perClassMaxAttempts',
  'attemptTimeoutMs',
  'maxRetryAfterMs',
  'budget',
  'circuitBreaker',
  'resultClassifier',
  'sleep',
  'sleeper',
  'clock',
  'random',
  'abortIf',
  'tags',
  'onMetric',
  'onLog',
  'onAttemptStart',
  'onAttemptEnd',
  'beforeSleep',
])

/** Validates and defaults policy options. Throws a TypeError/RangeError naming the option. */
export function resolveOptions(options: RetryOptions | undefined): ResolvedPolicy {
  const o: RetryOptions = options ?? {}
  if (typeof o !== 'object' || o === null)
    throw new TypeError(`RetryPolicy options must be an object, got ${describeValue(o)}`)
  for (const key of Object.keys(o)) {
    if (!KNOWN_OPTIONS.has(key)) throw new TypeError(`unknown RetryPolicy option "${key}"`)
  }
  const strategies = new Map<ErrorClass, Strategy>()
  if (o.strategies !== undefined) {
    if (typeof o.strategies !== 'object' || o.strategies === null) {
      throw new TypeError(`strategies must be an object keyed by ErrorClass, got ${describeValue(o.strategies)}`)
    }
    for (const [key, value] of Object.entries(o.strategies)) {
      if (!isErrorClass(key)) throw new TypeError(`strategies has a key "${key}" that is not an ErrorClass`)
      if (value === undefined) continue
      strategies.set(key, normalizeStrategy(value, `strategies.${key}`))
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
    if (typeof o.perClassMaxAttempts !== 'object' || o.perClassMaxAttempts === null) {
      throw new TypeError(
        `perClassMaxAttempts must be an object keyed by ErrorClass, got ${describeValue(o.perClassMaxAttempts)}`,
      )
    }
    for (const [key, value] of Object.entries(o.perClassMaxAttempts)) {
      if (!isErrorClass(key)) throw new TypeError(`perClassMaxAttempts has a key "${key}" that is not an ErrorClass`)
      if (value === undefined) continue
      perClassMaxAttempts[key] = attemptCount(value, `perClassMaxAttempts.${key}`)
    }
  }

  const clock = o.clock ?? systemClock
  if (typeof clock !== 'object' || clock === null || typeof clock.now !== 'function') {
    throw new TypeError(`clock must be an object with now(), got ${describeValue(clock)}`)
  }
  if (clock.sleep !== undefined && typeof clock.sleep !== 'function') {
    throw new TypeError(`clock.sleep must be a function, got ${describeValue(clock.sleep)}`)
  }

  const deadlineMs = positiveMs(o.deadlineMs, 'deadlineMs', true) ?? RETRY_DEFAULTS.deadlineMs
  const attemptTimeoutMs = positiveMs(o.attemptTimeoutMs, 'attemptTimeoutMs', false)
  const firstAttemptMs = attemptTimeoutMs === undefined ? deadlineMs : Math.min(attemptTimeoutMs, deadlineMs)
  const realTime = clock === systemClock
  return {
    classifier: fn(o.classifier, 'classifier') ?? defaultClassifier,
    resultClassifier: fn(o.resultClassifier, 'resultClassifier'),
    fallback,
    strategies,
    observers,
    deadlineMs,
    maxAttempts: o.maxAttempts === undefined ? RETRY_DEFAULTS.maxAttempts : attemptCount(o.maxAttempts, 'maxAttempts'),
    maxUnknownAttempts:
      o.maxUnknownAttempts === undefined
        ? RETRY_DEFAULTS.maxUnknownAttempts
        : attemptCount(o.maxUnknownAttempts, 'maxUnknownAttempts'),
    perClassMaxAttempts,
    attemptTimeoutMs,
    maxRetryAfterMs: nonNegativeMs(o.maxRetryAfterMs, 'maxRetryAfterMs'),
    budget: budgetOption(o.budget, 'budget') ?? undefined,
    circuitBreaker: breakerOption(o.circuitBreaker),
    sleepHandler: fn(o.sleep, 'sleep'),
    sleeper: fn(o.sleeper, 'sleeper'),
    clock,
    realTime,
    random: fn(o.random, 'random') ?? Math.random,
    abortIf: fn(o.abortIf, 'abortIf'),
    tags: tagsOption(o.tags, 'tags'),
    hooks: hooksOption(o, 'RetryPolicy'),
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

/** A function option, or undefined. */
export function fn<F>(value: F | undefined, name: string): F | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'function') throw new TypeError(`${name} must be a function, got ${describeValue(value)}`)
  return value
}

/** A whole number of attempts, at least 1 (`Infinity` allowed). */
function attemptCount(value: unknown, name: string): number {
  if (
    typeof value !== 'number' ||
    Number.isNaN(value) ||
    value < 1 ||
    (!Number.isInteger(value) && value !== Infinity)
  ) {
    throw new RangeError(`${name} must be a whole number >= 1 (or Infinity), got ${describeValue(value)}`)
  }
  return value
}

/** A duration > 0 in ms, or undefined. */
function positiveMs(value: unknown, name: string, allowInfinity: boolean): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || Number.isNaN(value) || value <= 0 || (!allowInfinity && !Number.isFinite(value))) {
    throw new RangeError(
      `${name} must be a number of milliseconds > 0${allowInfinity ? '' : ' and finite'}, got ${describeValue(value)}`,
    )
  }
  return value
}

/** A duration >= 0 in ms (Infinity allowed), or undefined. */
export function nonNegativeMs(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new RangeError(`${name} must be a number of milliseconds >= 0, got ${describeValue(value)}`)
  }
  return value
}

/** A budget option: an object with the three methods, `null` (off) or undefined. */
export function budgetOption(value: unknown, name: string): RetryBudget | null | undefined {
  if (value === undefined || value === null) return value
  const b = value as Partial<RetryBudget>
  if (
    typeof value !== 'object' ||
    typeof b.tryAcquire !== 'function' ||
    typeof b.recordSuccess !== 'function' ||
    typeof b.recordFailure !== 'function'
  ) {
    throw new TypeError(
      `${name} must have tryAcquire(), recordSuccess() and recordFailure(), got ${describeValue(value)}`,
    )
  }
  return value as RetryBudget
}

function breakerOption(value: unknown): CircuitBreakerLike | undefined {
  if (value === undefined) return undefined
  const b = value as Partial<CircuitBreakerLike>
  if (typeof value !== 'object' || value === null || typeof b.admit !== 'function' || typeof b.record !== 'function') {
    throw new TypeError(`circuitBreaker must have admit() and record(), got ${describeValue(value)}`)
  }
  return value as CircuitBreakerLike
}

/** A tags object, or undefined. */
export function tagsOption(value: unknown, name: string): EventTags | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null)
    throw new TypeError(`${name} must be an object, got ${describeValue(value)}`)
  return value as EventTags
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
    if (hook !== undefined && typeof hook !== 'function') fn(hook, `${owner} ${name}`)
  }
}

/** The budget a call uses: its own (`null` = none) or the policy's. */
export function budgetOf(
  p: ResolvedPolicy,
  call: { readonly budget?: RetryBudget | null | undefined } | undefined,
): RetryBudget | undefined {
  return call?.budget === undefined ? p.budget : (call.budget ?? undefined)
}
