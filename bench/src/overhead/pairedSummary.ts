import { type RoundSummary, summarizeRounds } from './RoundSummary.ts'

/**
 * Combines each round of `values` with the same round of `baseline` (entry `i` with entry
 * `i`), then summarises the per-round results. Pairing by round cancels what the two
 * variants shared in that round (the machine's load, the server's state), so the spread
 * is the comparison's own, not the machine's.
 *
 * @example
 * pairedSummary([110, 120], [100, 100], (v, b) => v - b).median // 15
 */
export function pairedSummary(
  values: readonly number[],
  baseline: readonly number[],
  combine: (value: number, base: number) => number,
): RoundSummary {
  const n = Math.min(values.length, baseline.length)
  return summarizeRounds(
    Array.from({ length: n }, (_, i) => combine(values[i] ?? Number.NaN, baseline[i] ?? Number.NaN)),
  )
}
