import type { BackoffContext, Strategy } from '@redress/core'

/**
 * The "exponential, no jitter" baseline of the AWS experiment: `min(maxMs, baseMs · 2^attempt)`,
 * the same curve as `fullJitter`'s ceiling, so the two differ only by the jitter.
 */
export function exponentialNoJitter(baseMs: number, maxMs: number): Strategy {
  return ({ attempt }: BackoffContext): number => Math.min(maxMs, baseMs * 2 ** attempt)
}
