import type { RandomSource } from '../Clock.ts'
import { describeValue } from '../describeValue.ts'

/**
 * A small, fast, seeded pseudo-random source (mulberry32) returning numbers in [0, 1).
 * The same seed always yields the same sequence, so jittered backoff becomes
 * reproducible in tests. Not for cryptography.
 *
 * @param seed any finite number; it is reduced to 32 bits, so seeds that differ only
 *   beyond that (or in their fraction) give the same sequence.
 * @example
 * const policy = new RetryPolicy({ random: seededRandom(42), clock: new FakeClock() })
 */
export function seededRandom(seed: number): RandomSource {
  if (typeof seed !== 'number' || !Number.isFinite(seed)) {
    throw new TypeError(`seededRandom: seed must be a finite number, got ${describeValue(seed)}`)
  }
  let state = Math.trunc(seed) >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    // Dividing a uint32 by 2^32 can never reach 1.
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
