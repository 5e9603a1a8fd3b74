import type { Classification } from '../Classification.ts'
import type { RandomSource } from '../Clock.ts'
import { describeValue } from '../describeValue.ts'
import type { ErrorClass } from '../ErrorClass.ts'

/** What a strategy knows when it picks the next sleep. */
export interface BackoffContext {
  /** The attempt that just failed (1-based). The sleep precedes attempt `attempt + 1`. */
  readonly attempt: number
  /** The failure's class. */
  readonly errorClass: ErrorClass
  /** The full classification (carries `retryAfterMs` from the server, if any). */
  readonly classification: Classification
  /** The previous sleep in ms; `undefined` on the first retry. */
  readonly prevSleepMs: number | undefined
  /** Milliseconds left before the deadline (`Infinity` without one). */
  readonly remainingMs: number
  /** Whether the failure was a thrown error or a rejected result. */
  readonly cause: 'error' | 'result'
  /** The policy's random source, in [0, 1). Use it instead of `Math.random` so runs can be seeded. */
  readonly random: RandomSource
}

/** A backoff strategy: returns the sleep in milliseconds before the next attempt. */
export type Strategy = (ctx: BackoffContext) => number

/** The three-parameter form of the seed post, `(attempt, errorClass, prevSleepMs) => ms`. */
export type LegacyStrategy = (attempt: number, errorClass: ErrorClass, prevSleepMs: number | undefined) => number

/** Either strategy signature; which one is told by the function's declared parameter count. */
export type AnyStrategy = Strategy | LegacyStrategy

/**
 * Turns either signature into the context form. Parameters are counted as
 * `Function.length` counts them: 0 or 1 is the context form, exactly 3 the legacy
 * form; 2 or more than 3 is a `TypeError`, thrown here, at construction.
 */
export function normalizeStrategy(strategy: unknown, optionName: string): Strategy {
  if (typeof strategy !== 'function') {
    throw new TypeError(`${optionName} must be a function, got ${describeValue(strategy)}`)
  }
  const arity = strategy.length
  if (arity <= 1) return strategy as Strategy
  if (arity === 3) {
    const legacy = strategy as LegacyStrategy
    return (ctx: BackoffContext): number => legacy(ctx.attempt, ctx.errorClass, ctx.prevSleepMs)
  }
  throw new TypeError(
    `${optionName} must take one context parameter or exactly three (attempt, errorClass, prevSleepMs); it declares ${arity}`,
  )
}

/**
 * A strategy that learns from outcomes (such as `adaptive`). The engine calls these on
 * every attempt, first tries included: `recordSuccess()` after an attempt that
 * succeeded, `recordFailure(errorClass)` after one that failed.
 */
export interface OutcomeObserver {
  /** Called after each attempt that succeeded. */
  recordSuccess(): void
  /** Called after each attempt that failed, with the failure's class. */
  recordFailure(errorClass: ErrorClass): void
}

/** True when `value` (typically a strategy) has the {@link OutcomeObserver} methods. Never throws. */
export function isOutcomeObserver(value: unknown): value is OutcomeObserver {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false
  try {
    const candidate = value as Partial<OutcomeObserver>
    return typeof candidate.recordSuccess === 'function' && typeof candidate.recordFailure === 'function'
  } catch {
    // A getter or proxy trap that throws makes it not an observer, not a crash.
    return false
  }
}
