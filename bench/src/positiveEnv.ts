/**
 * A whole number ≥ 1 from the environment variable `name`, or `fallback` when it is unset or
 * empty; throws a RangeError naming the variable for anything else.
 */
export function positiveEnv(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a whole number >= 1, got ${raw}`)
  return n
}
