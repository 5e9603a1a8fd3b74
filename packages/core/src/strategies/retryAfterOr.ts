import { msOption, NON_NEGATIVE, NON_NEGATIVE_OR_INFINITE, optionNames, optionsObject } from '../guard/validate.ts'
import { type AnyStrategy, type BackoffContext, normalizeStrategy, type Strategy } from './Strategy.ts'
import { uniform } from './uniform.ts'

/** Options of {@link retryAfterOr}. */
export interface RetryAfterOrOptions {
  /**
   * Random extra delay added on top of the server's delay, in milliseconds: the sleep
   * is extended by `U(0, jitterMs)`, never shortened. Finite, >= 0.
   * @default 250
   */
  readonly jitterMs?: number | undefined
  /**
   * The longest server delay honoured, in milliseconds; a longer one is clamped to it.
   * `>= 0`; `Infinity` (no cap) is accepted. To give up on long delays instead of
   * clamping them, use `httpPolicy`'s `maxRetryAfterMs`.
   * @default Infinity
   */
  readonly maxRetryAfterMs?: number | undefined
}

/** The defaults of {@link retryAfterOr}, in milliseconds (`maxRetryAfterMs: Infinity` = no cap). */
export const RETRY_AFTER_OR_DEFAULTS: { readonly jitterMs: number; readonly maxRetryAfterMs: number } = Object.freeze({
  jitterMs: 250,
  maxRetryAfterMs: Infinity,
})

const KNOWN: ReadonlySet<string> = optionNames<RetryAfterOrOptions>({ jitterMs: true, maxRetryAfterMs: true })

/**
 * Honours the server: when the failure's classification carries `retryAfterMs`
 * (from `Retry-After`, a `RateLimit` header or a `RateLimitError`), the sleep is
 * `min(retryAfterMs, maxRetryAfterMs) + U(0, jitterMs)`; otherwise `fallback` decides.
 * The fallback may use either strategy signature (context or legacy three-parameter);
 * it is checked here, at construction.
 *
 * @example
 * retryAfterOr(decorrelatedJitter(), { maxRetryAfterMs: 60_000 })
 * @throws {TypeError | RangeError} at construction, for a fallback that is not a
 * strategy, an option that is not a number, a NaN or negative option, an infinite
 * `jitterMs` or an unknown option.
 */
export function retryAfterOr(fallback: AnyStrategy, options?: RetryAfterOrOptions): Strategy {
  const next = normalizeStrategy(fallback, 'retryAfterOr: fallback')
  const o = optionsObject('retryAfterOr', options, KNOWN)
  const jitterMs =
    msOption('retryAfterOr', 'options.jitterMs', o['jitterMs'], NON_NEGATIVE) ?? RETRY_AFTER_OR_DEFAULTS.jitterMs
  const capMs =
    msOption('retryAfterOr', 'options.maxRetryAfterMs', o['maxRetryAfterMs'], NON_NEGATIVE_OR_INFINITE) ??
    RETRY_AFTER_OR_DEFAULTS.maxRetryAfterMs
  return (ctx: BackoffContext): number => {
    const serverMs = ctx.classification.retryAfterMs
    // A malformed delay (NaN, negative) from a hand-written classifier is no delay at all.
    if (typeof serverMs !== 'number' || !(serverMs >= 0)) return next(ctx)
    // The jitter only adds: clients told the same Retry-After must not return in the same millisecond.
    return Math.min(serverMs, capMs) + uniform(ctx.random, 0, jitterMs)
  }
}
