import { type BackoffBounds, resolveBackoffBounds } from './backoffOptions.ts'
import { cappedExponential } from './cappedExponential.ts'
import type { BackoffContext, Strategy } from './Strategy.ts'
import { uniform } from './uniform.ts'

/** Options of {@link tokenBackoff}. */
export interface TokenBackoffOptions {
  /**
   * The base of the ceiling, in milliseconds (`baseMs · 1.5^attempt`). Finite, > 0.
   * @default 250
   */
  readonly baseMs?: number | undefined
  /**
   * The cap on the ceiling, in milliseconds. Finite, >= `baseMs`.
   * @default 20_000
   */
  readonly maxMs?: number | undefined
}

/** The defaults of {@link tokenBackoff}, in milliseconds. */
export const TOKEN_BACKOFF_DEFAULTS: BackoffBounds = Object.freeze({ baseMs: 250, maxMs: 20_000 })

/**
 * A gentler curve for rate limits and contention: with
 * `c = min(maxMs, baseMs · 1.5^attempt)` (attempt = the 1-based attempt that just
 * failed), the sleep is `U(c/2, c)`. It grows by 1.5× rather than 2× per attempt, so a
 * client waiting for a token or a lock checks back sooner than with `equalJitter`.
 *
 * @example
 * new RetryPolicy({ strategies: { [ErrorClass.RATE_LIMIT]: tokenBackoff() } })
 * @throws {TypeError | RangeError} at construction, for an option that is not a finite
 * number, `baseMs <= 0`, `maxMs < baseMs` or an unknown option.
 */
export function tokenBackoff(options?: TokenBackoffOptions): Strategy {
  const { baseMs, maxMs } = resolveBackoffBounds('tokenBackoff', options, TOKEN_BACKOFF_DEFAULTS)
  return (ctx: BackoffContext): number => {
    const ceilingMs = cappedExponential(baseMs, 1.5, ctx.attempt, maxMs)
    return uniform(ctx.random, ceilingMs / 2, ceilingMs)
  }
}
