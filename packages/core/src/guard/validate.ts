import type { Clock } from '../Clock.ts'
import { describeValue } from '../describeValue.ts'

/**
 * Option validation, in one dialect for every constructor (`RetryPolicy`, `Budget`,
 * `TokenBudget`, `CircuitBreaker`, `adaptive`, the strategies, `httpPolicy`, the HTTP
 * adapters). Each check throws a `TypeError` (wrong kind) or `RangeError` (right kind, out of
 * range) whose message starts with the owner and names the option:
 * `CircuitBreaker: recoveryMs must be a finite number of milliseconds > 0, got -1`.
 */

/**
 * The option names of `T`, as a set, from a literal that must list every key of `T` and no
 * other: adding an option to the type without adding it here is a compile error, so a new
 * option cannot be rejected as unknown by mistake. Free of side effects: the build marks its
 * module-level calls pure (`tsup.base.ts`), so a bundle that never builds the owner drops the set.
 */
export function optionNames<T>(names: { readonly [K in keyof Required<T>]: true }): ReadonlySet<string> {
  return new Set(Object.keys(names))
}

/**
 * Checks that `value` is an options object (or `undefined`, read as `{}`), and, when `known`
 * is given, that it has no other key. Returns it as a record.
 */
export function optionsObject(
  owner: string,
  value: unknown,
  known?: ReadonlySet<string>,
): Readonly<Record<string, unknown>> {
  if (value === undefined) return EMPTY
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new TypeError(`${owner}: options must be an object, got ${describeValue(value)}`)
  }
  if (known !== undefined) {
    for (const key of Object.keys(value)) if (!known.has(key)) throw unknownOption(owner, key, known, '')
  }
  return value as Readonly<Record<string, unknown>>
}

/**
 * The unknown-key check of an options object met on the hot path — a call's options, a
 * request's `redress` options — with the message of {@link optionsObject}:
 * `call options: unknown option "opertion"; expected one of operation, signal, …`. The returned
 * function throws a `TypeError`, starting with `owner`, naming the first own enumerable key of
 * `value` that `known` does not list; `prefix` names where the object sits (`'redress.'`).
 *
 * It costs a few ns a call: `for…in` walks V8's enum cache and allocates no key array (unlike
 * `Object.keys`), and the known keys met so far are remembered in a short array — property keys
 * are interned strings, so matching one is a pointer test, where `known.has` hashes (~15 ns a
 * key, measured). `Object.hasOwn` is asked only about a key not listed, so an inherited one is
 * ignored, as `Object.keys` would. The array only ever holds names of `known`.
 */
export function knownKeysCheck(known: ReadonlySet<string>, prefix = ''): (owner: string, value: object) => void {
  const met: string[] = []
  return (owner, value) => {
    next: for (const key in value) {
      for (let i = 0; i < met.length; i++) if (met[i] === key) continue next
      if (known.has(key)) met.push(key)
      else if (Object.hasOwn(value, key)) throw unknownOption(owner, key, known, prefix)
    }
  }
}

function unknownOption(owner: string, key: string, known: ReadonlySet<string>, prefix: string): TypeError {
  return new TypeError(
    `${owner}: unknown option ${JSON.stringify(prefix + key)}; expected one of ${[...known].join(', ')}`,
  )
}

const EMPTY: Readonly<Record<string, unknown>> = Object.freeze({})

/** A function option, or `undefined`. */
export function functionOption<F>(owner: string, name: string, value: F | undefined): F | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'function') throw notAFunction(owner, name, value)
  return value
}

/**
 * The check of the operation a caller hands over (`policy.call(fn)`, `retry(...)(fn)`):
 * `undefined` when `fn` is a function, else the `TypeError` naming `owner` and what was got —
 * returned, not thrown, so an entry point that returns a promise can reject with it.
 */
export function operationFnError(owner: string, fn: unknown): TypeError | undefined {
  return typeof fn === 'function' ? undefined : notAFunction(owner, 'fn', fn)
}

function notAFunction(owner: string, name: string, value: unknown): TypeError {
  return new TypeError(`${at(owner, name)} must be a function, got ${describeValue(value)}`)
}

/** A boolean option, or `undefined`. */
export function booleanOption(owner: string, name: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'boolean')
    throw new TypeError(`${at(owner, name)} must be a boolean, got ${describeValue(value)}`)
  return value
}

/** A string option, or `undefined`. */
export function stringOption(owner: string, name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string') throw new TypeError(`${at(owner, name)} must be a string, got ${describeValue(value)}`)
  return value
}

/** An object option (tags, a record), or `undefined`. */
export function objectOption<T extends object>(owner: string, name: string, value: unknown): T | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'object' || value === null) {
    throw new TypeError(`${at(owner, name)} must be an object, got ${describeValue(value)}`)
  }
  return value as T
}

/** A clock option: an object with `now()` (and, if present, a `sleep` function), or `undefined`. */
export function clockOption(owner: string, value: unknown): Clock | undefined {
  if (value === undefined) return undefined
  const clock = value as Partial<Clock> | null
  if (typeof value !== 'object' || clock === null || typeof clock.now !== 'function') {
    throw new TypeError(`${at(owner, 'clock')} must be an object with a now() method, got ${describeValue(value)}`)
  }
  if (clock.sleep !== undefined && typeof clock.sleep !== 'function') {
    throw new TypeError(`${at(owner, 'clock.sleep')} must be a function, got ${describeValue(clock.sleep)}`)
  }
  return clock as Clock
}

/** An object with the named methods (a budget, a breaker), or `undefined`. */
export function methodsOption<T>(
  owner: string,
  name: string,
  value: unknown,
  methods: readonly string[],
): T | undefined {
  if (value === undefined) return undefined
  if (
    (typeof value !== 'object' && typeof value !== 'function') ||
    value === null ||
    methods.some((m) => typeof (value as Record<string, unknown>)[m] !== 'function')
  ) {
    throw new TypeError(
      `${at(owner, name)} must have ${methods.map((m) => `${m}()`).join(', ')}, got ${describeValue(value)}`,
    )
  }
  return value as T
}

/** The range a number option must fall in. */
export interface NumberRange {
  /** The smallest allowed value (inclusive unless `minExclusive`). @default -Infinity */
  readonly min?: number
  /** True when `min` itself is not allowed. @default false */
  readonly minExclusive?: boolean
  /** The largest allowed value (inclusive). @default Infinity */
  readonly max?: number
  /** Whether `Infinity` is allowed (when `max` is not finite). @default false */
  readonly infinity?: boolean
  /** Whether only whole numbers are allowed (`Infinity` too, if allowed). @default false */
  readonly integer?: boolean
  /** The unit named in the message ("milliseconds", "tokens", "attempts"). */
  readonly unit?: string
}

/** A number option in `range`, or `undefined`. */
export function numberOption(owner: string, name: string, value: unknown, range: NumberRange): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number') {
    const unit = range.unit === undefined ? '' : ` of ${range.unit}`
    throw new TypeError(`${at(owner, name)} must be a number${unit}, got ${describeValue(value)}`)
  }
  if (!inRange(value, range))
    throw new RangeError(`${at(owner, name)} must be ${describeRange(range)}, got ${describeValue(value)}`)
  return value as number
}

/** A duration in milliseconds: finite and > 0 unless `range` says otherwise. */
export function msOption(
  owner: string,
  name: string,
  value: unknown,
  range: NumberRange = POSITIVE,
): number | undefined {
  return numberOption(owner, name, value, { unit: 'milliseconds', ...range })
}

/** A count of attempts: a whole number >= 1, `Infinity` allowed. */
export function attemptsOption(owner: string, name: string, value: unknown): number | undefined {
  return numberOption(owner, name, value, { min: 1, integer: true, infinity: true })
}

/** Durations > 0. */
export const POSITIVE: NumberRange = Object.freeze({ min: 0, minExclusive: true })
/** Durations >= 0. */
export const NON_NEGATIVE: NumberRange = Object.freeze({ min: 0 })
/** Durations >= 0, `Infinity` allowed (a cap where "no cap" means something). */
export const NON_NEGATIVE_OR_INFINITE: NumberRange = Object.freeze({ min: 0, infinity: true })

function inRange(value: unknown, r: NumberRange): boolean {
  if (typeof value !== 'number' || Number.isNaN(value)) return false
  if (!Number.isFinite(value) && !(r.infinity === true && value === Infinity)) return false
  if (r.integer === true && Number.isFinite(value) && !Number.isInteger(value)) return false
  if (r.min !== undefined && (r.minExclusive === true ? value <= r.min : value < r.min)) return false
  if (r.max !== undefined && value > r.max) return false
  return true
}

function describeRange(r: NumberRange): string {
  const kind = r.integer === true ? 'a whole number' : r.infinity === true ? 'a number' : 'a finite number'
  const parts: string[] = []
  if (r.min !== undefined) parts.push(`${r.minExclusive === true ? '>' : '>='} ${r.min}`)
  if (r.max !== undefined) parts.push(`<= ${r.max}`)
  const unit = r.unit === undefined ? '' : ` of ${r.unit}`
  const inf = r.infinity === true && r.integer === true ? ' (or Infinity)' : ''
  return `${kind}${unit}${parts.length > 0 ? ` ${parts.join(' and ')}` : ''}${inf}`
}

function at(owner: string, name: string): string {
  return owner === '' ? name : `${owner}: ${name}`
}
