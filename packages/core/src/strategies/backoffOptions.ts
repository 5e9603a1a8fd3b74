import { msOption, optionNames, optionsObject } from '../guard/validate.ts'

/** The bounds every exponential or decorrelated strategy takes, in milliseconds. */
export interface BackoffBounds {
  /** The base delay in milliseconds: finite and > 0. */
  readonly baseMs: number
  /** The longest delay in milliseconds: finite and >= `baseMs`. */
  readonly maxMs: number
}

const BOUNDS_KEYS: ReadonlySet<string> = optionNames<BackoffBounds>({ baseMs: true, maxMs: true })

/**
 * Resolves and validates `{ baseMs, maxMs }` once, at construction: both finite,
 * `baseMs > 0`, `maxMs >= baseMs` (checked after defaults apply, so
 * `{ baseMs: 40_000 }` against a 30 000 ms default cap fails loudly). A misspelt option
 * (`maxDelayMs`) is a `TypeError`, not a silently ignored field.
 */
export function resolveBackoffBounds(owner: string, options: unknown, defaults: BackoffBounds): BackoffBounds {
  const record = optionsObject(owner, options, BOUNDS_KEYS)
  const baseMs = msOption(owner, 'options.baseMs', record['baseMs']) ?? defaults.baseMs
  const maxMs = msOption(owner, 'options.maxMs', record['maxMs']) ?? defaults.maxMs
  if (maxMs < baseMs) {
    throw new RangeError(`${owner}: options.maxMs (${maxMs}) must be >= options.baseMs (${baseMs})`)
  }
  return { baseMs, maxMs }
}
