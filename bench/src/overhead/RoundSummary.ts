import { median } from './median.ts'

/** A per-round measurement reduced to its median and its spread across rounds. */
export interface RoundSummary {
  /** The median over rounds. */
  readonly median: number
  /** The lower quartile (25th percentile, linear interpolation between ranks). */
  readonly p25: number
  /** The upper quartile (75th percentile, linear interpolation between ranks). */
  readonly p75: number
  /** The smallest value of any round. */
  readonly min: number
  /** The largest value of any round. */
  readonly max: number
}

/**
 * Summarises one value per round as median, quartiles and min–max; `NaN`s when there are
 * no rounds. Non-finite values (a round that could not be measured) are left out.
 *
 * @example
 * summarizeRounds([1, 2, 3, 4, 5]) // { median: 3, p25: 2, p75: 4, min: 1, max: 5 }
 */
export function summarizeRounds(values: readonly number[]): RoundSummary {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0)
    return { median: Number.NaN, p25: Number.NaN, p75: Number.NaN, min: Number.NaN, max: Number.NaN }
  return {
    median: median(sorted),
    p25: quantile(sorted, 0.25),
    p75: quantile(sorted, 0.75),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
  }
}

/** The `q`-quantile of ascending `sorted` values, interpolating linearly between ranks (R type 7). */
function quantile(sorted: readonly number[], q: number): number {
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const below = sorted[lo] ?? Number.NaN
  const above = sorted[Math.min(lo + 1, sorted.length - 1)] ?? Number.NaN
  return below + (above - below) * (pos - lo)
}
