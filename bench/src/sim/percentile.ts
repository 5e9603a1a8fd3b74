/**
 * The `q`-quantile (0 < q ≤ 1) of `values` by the nearest-rank method: the smallest
 * value with at least `q · n` values at or below it. Sorts `values` in place.
 * `undefined` when empty. `Infinity` entries sort last.
 */
export function percentile(values: number[], q: number): number | undefined {
  if (values.length === 0) return undefined
  values.sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil(q * values.length))
  return values[rank - 1]
}
