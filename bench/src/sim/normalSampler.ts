import type { RandomSource } from '@redress/core'

/**
 * A sampler of normal(meanMs, sdMs) delays drawn from `random` with the Box–Muller
 * transform (both variates of each pair are used). Negative draws — five standard
 * deviations out for normal(10, 2) — become 0: a network delay cannot be negative.
 *
 * @example
 * const delay = normalSampler(seededRandom(1), 10, 2)
 * delay() // ≈ 10 ms
 */
export function normalSampler(random: RandomSource, meanMs: number, sdMs: number): () => number {
  let spare: number | undefined
  return (): number => {
    if (spare !== undefined) {
      const z = spare
      spare = undefined
      return Math.max(0, meanMs + sdMs * z)
    }
    // 1 - u is in (0, 1], so the logarithm is finite.
    const u = 1 - random()
    const v = random()
    const r = Math.sqrt(-2 * Math.log(u))
    spare = r * Math.sin(2 * Math.PI * v)
    return Math.max(0, meanMs + sdMs * r * Math.cos(2 * Math.PI * v))
  }
}
