/**
 * A short, safe description of any value for error messages (`null`, `an array`,
 * `function fetchUser`, `"text"`, `42`). Never throws and never prints an object's
 * contents. Used by every option check in redress, adapters included, so messages read
 * the same everywhere.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null'
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object'
  if (typeof value === 'string') return JSON.stringify(value)
  return String(value)
}

/**
 * The key under which Node's `util.inspect` (and so `console.log`) asks an object how to show
 * itself: the objects redress hands to user code (an attempt's context, undici's controller)
 * show their public state there, not the run behind them.
 */
export const INSPECT: unique symbol = Symbol.for('nodejs.util.inspect.custom')
