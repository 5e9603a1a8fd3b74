import { median } from './median.ts'

/** A per-round measurement reduced to its median and its spread across rounds. */
export interface RoundSummary {
  /** The median over rounds. */
  readonly median: number
  /** The smallest value of any round. */
  readonly min: number
  /** The largest value of any round. */
  readonly max: number
}

/** Summarises one value per round as median and min–max; `NaN`s when there are no rounds. */
export function summarizeRounds(values: readonly number[]): RoundSummary {
  if (values.length === 0) return { median: Number.NaN, min: Number.NaN, max: Number.NaN }
  return { median: median(values), min: Math.min(...values), max: Math.max(...values) }
}
