/**
 * A positive integer from the environment variable `name` (in `env`, by default the process's),
 * or `fallback` when it is unset or empty; throws a RangeError naming the variable for anything else.
 */
export function positiveEnv(
  name: string,
  fallback: number,
  env: Readonly<Record<string, string | undefined>> = process.env,
): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${name} must be a positive integer, got ${raw}`)
  return n
}
