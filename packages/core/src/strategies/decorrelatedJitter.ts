import { type BackoffBounds, resolveBackoffBounds } from './backoffOptions.ts'
import type { BackoffContext, Strategy } from './Strategy.ts'
import { uniform } from './uniform.ts'

/** Options of {@link decorrelatedJitter}. */
export interface DecorrelatedJitterOptions {
  /**
   * The shortest sleep and the seed of the first range, in milliseconds. Finite, > 0.
   * @default 250
   */
  readonly baseMs?: number | undefined
  /**
   * The longest sleep, in milliseconds. Finite, >= `baseMs`.
   * @default 30_000
   */
  readonly maxMs?: number | undefined
}

/** The defaults of {@link decorrelatedJitter}, in milliseconds. */
export const DECORRELATED_JITTER_DEFAULTS: BackoffBounds = Object.freeze({ baseMs: 250, maxMs: 30_000 })

/**
 * "Decorrelated jitter" (AWS Architecture Blog, 2015): each sleep is drawn from
 * `U(baseMs, 3 · previous sleep)` and capped at `maxMs`, i.e.
 * `min(maxMs, U(baseMs, 3 · (prevSleepMs || baseMs)))`. Sleeps grow on average but
 * stay spread out, so clients that failed together do not retry together. The
 * policy's default strategy.
 *
 * A missing, NaN, negative, non-finite or below-`baseMs` `prevSleepMs` (the first
 * retry, or a short sleep chosen by another strategy such as `retryAfterOr`) counts
 * as `baseMs`, so every result lies in [baseMs, maxMs].
 *
 * @example
 * new RetryPolicy({ strategy: decorrelatedJitter({ baseMs: 100, maxMs: 10_000 }) })
 * @throws {TypeError | RangeError} at construction, for an option that is not a finite
 * number, `baseMs <= 0`, `maxMs < baseMs` or an unknown option.
 */
export function decorrelatedJitter(options?: DecorrelatedJitterOptions): Strategy {
  const { baseMs, maxMs } = resolveBackoffBounds('decorrelatedJitter', options, DECORRELATED_JITTER_DEFAULTS)
  return (ctx: BackoffContext): number => {
    const prev = ctx.prevSleepMs
    const seedMs = typeof prev === 'number' && prev > baseMs && prev <= Number.MAX_VALUE ? prev : baseMs
    // 3 · seed may overflow to Infinity; uniform() and the cap still give a finite result.
    return Math.min(maxMs, uniform(ctx.random, baseMs, 3 * seedMs))
  }
}
