import { type BackoffBounds, resolveBackoffBounds } from './backoffOptions.ts'
import { cappedExponential } from './cappedExponential.ts'
import type { BackoffContext, Strategy } from './Strategy.ts'
import { uniform } from './uniform.ts'

/** Options of {@link equalJitter}. */
export interface EqualJitterOptions {
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

/** The defaults of {@link equalJitter}, in milliseconds. */
export const EQUAL_JITTER_DEFAULTS: BackoffBounds = Object.freeze({ baseMs: 250, maxMs: 30_000 })

/**
 * "Equal jitter": half of the exponential ceiling is guaranteed, the other half is
 * random. With `c = min(maxMs, baseMs · 2^attempt)` (attempt = the 1-based attempt
 * that just failed), the sleep is `c/2 + U(0, c/2)`, always in [c/2, c]. Choose it
 * over `fullJitter` when a retry must never come back almost at once.
 *
 * @example
 * equalJitter({ baseMs: 100, maxMs: 5_000 }) // attempt 1: 100–200 ms, attempt 2: 200–400 ms …
 * @throws {TypeError | RangeError} at construction, for an option that is not a finite
 * number, `baseMs <= 0`, `maxMs < baseMs` or an unknown option.
 */
export function equalJitter(options?: EqualJitterOptions): Strategy {
  const { baseMs, maxMs } = resolveBackoffBounds('equalJitter', options, EQUAL_JITTER_DEFAULTS)
  return (ctx: BackoffContext): number => {
    const ceilingMs = cappedExponential(baseMs, 2, ctx.attempt, maxMs)
    const halfMs = ceilingMs / 2
    // Halving a subnormal rounds up, so two halves can exceed the ceiling by one ulp.
    return Math.min(ceilingMs, halfMs + uniform(ctx.random, 0, halfMs))
  }
}
