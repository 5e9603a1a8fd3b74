import { type BackoffBounds, resolveBackoffBounds } from './backoffOptions.ts'
import { cappedExponential } from './cappedExponential.ts'
import type { BackoffContext, Strategy } from './Strategy.ts'
import { uniform } from './uniform.ts'

/** Options of {@link fullJitter}. */
export interface FullJitterOptions {
  /**
   * The base of the exponential ceiling, in milliseconds (`baseMs · 2^attempt`). Finite, > 0.
   * @default 250
   */
  readonly baseMs?: number | undefined
  /**
   * The cap on the ceiling, in milliseconds. Finite, >= `baseMs`.
   * @default 30_000
   */
  readonly maxMs?: number | undefined
}

/** The defaults of {@link fullJitter}, in milliseconds. */
export const FULL_JITTER_DEFAULTS: BackoffBounds = Object.freeze({ baseMs: 250, maxMs: 30_000 })

/**
 * "Full jitter", the AWS formula: `U(0, min(maxMs, baseMs · 2^attempt))` (attempt =
 * the 1-based attempt that just failed). Spreads retries over the whole range, which
 * de-synchronises contending clients best, at the price of sometimes retrying almost
 * at once.
 *
 * @example
 * fullJitter({ baseMs: 5, maxMs: 2_000 })
 * @throws {TypeError | RangeError} at construction, for an option that is not a finite
 * number, `baseMs <= 0`, `maxMs < baseMs` or an unknown option.
 */
export function fullJitter(options?: FullJitterOptions): Strategy {
  const { baseMs, maxMs } = resolveBackoffBounds('fullJitter', options, FULL_JITTER_DEFAULTS)
  return (ctx: BackoffContext): number => uniform(ctx.random, 0, cappedExponential(baseMs, 2, ctx.attempt, maxMs))
}
