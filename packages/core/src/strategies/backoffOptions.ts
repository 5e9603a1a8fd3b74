import { msOption, optionsObject } from '../guard/validate.ts'

/** The bounds every exponential or decorrelated strategy takes, in milliseconds. */
export interface BackoffBounds {
  /** The base delay in milliseconds: finite and > 0. */
  readonly baseMs: number
  /** The longest delay in milliseconds: finite and >= `baseMs`. */
  readonly maxMs: number
}

/** How {@link readMsOption} validates one duration. */
export interface MsOptionRule {
  /** Require > 0 instead of >= 0. */
  readonly positive?: boolean
  /** Accept `Infinity` (for caps where "no cap" is a meaningful value). */
  readonly allowInfinity?: boolean
}

/**
 * Checks that a strategy's options argument is `undefined` or an object holding only
 * `knownKeys`, and returns it as a record. A misspelt option (`maxDelayMs`) is a
 * `TypeError`, not a silently ignored field.
 */
export function readOptionsObject(
  owner: string,
  options: unknown,
  knownKeys: readonly string[],
): Readonly<Record<string, unknown>> {
  return optionsObject(owner, options, new Set(knownKeys))
}

/**
 * Reads one duration option in milliseconds: `undefined` takes `fallback`; anything
 * but a number is a `TypeError`; NaN, a negative (or, with `positive`, zero) or an
 * infinite value (unless `allowInfinity`) is a `RangeError`. Messages name the option
 * and the value.
 */
export function readMsOption(
  owner: string,
  options: Readonly<Record<string, unknown>>,
  key: string,
  fallback: number,
  rule: MsOptionRule = {},
): number {
  return (
    msOption(owner, `options.${key}`, options[key], {
      min: 0,
      minExclusive: rule.positive === true,
      infinity: rule.allowInfinity === true,
    }) ?? fallback
  )
}

const BOUNDS_KEYS: readonly string[] = ['baseMs', 'maxMs']

/**
 * Resolves and validates `{ baseMs, maxMs }` once, at construction: both finite,
 * `baseMs > 0`, `maxMs >= baseMs` (checked after defaults apply, so
 * `{ baseMs: 40_000 }` against a 30 000 ms default cap fails loudly).
 */
export function resolveBackoffBounds(owner: string, options: unknown, defaults: BackoffBounds): BackoffBounds {
  const record = readOptionsObject(owner, options, BOUNDS_KEYS)
  const baseMs = readMsOption(owner, record, 'baseMs', defaults.baseMs, { positive: true })
  const maxMs = readMsOption(owner, record, 'maxMs', defaults.maxMs, { positive: true })
  if (maxMs < baseMs) {
    throw new RangeError(`${owner}: options.maxMs (${maxMs}) must be >= options.baseMs (${baseMs})`)
  }
  return { baseMs, maxMs }
}
