import type { RandomSource } from '../Clock.ts'

/**
 * Draws from U(lowMs, highMs) = `lowMs + random() · (highMs − lowMs)`, always within
 * [lowMs, highMs] (given lowMs <= highMs). A random source that misbehaves (NaN,
 * negative, >= 1) and float rounding must not push a sleep outside a strategy's
 * documented bounds, so the draw is clamped; `highMs` may be `Infinity`.
 */
export function uniform(random: RandomSource, lowMs: number, highMs: number): number {
  const r = random()
  // Also keeps 0 · Infinity (NaN) out when highMs is infinite.
  if (!(r > 0)) return lowMs
  if (r >= 1) return highMs
  return Math.min(highMs, lowMs + r * (highMs - lowMs))
}
