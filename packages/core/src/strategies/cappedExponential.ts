/**
 * `min(maxMs, baseMs · factor^attempt)`. Huge attempts overflow to `Infinity` and so
 * give `maxMs`, never NaN; a NaN, zero or negative attempt (a hand-built context)
 * counts as the first.
 */
export function cappedExponential(baseMs: number, factor: number, attempt: number, maxMs: number): number {
  const n = Number.isNaN(attempt) ? 1 : Math.max(1, attempt)
  return Math.min(maxMs, baseMs * factor ** n)
}
