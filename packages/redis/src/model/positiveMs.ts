import { describeValue } from '@redress/core/adapter'

/** The longest delay `setTimeout` honours (about 24.8 days); longer ones fire at once. */
const MAX_TIMER_MS = 2_147_483_647

/**
 * Checks a duration option: a finite number of milliseconds > 0 (and no longer than a timer can
 * wait, when `timer`). @throws RangeError naming `owner` and `name`.
 */
export function positiveMs(owner: string, name: string, value: unknown, timer = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (timer && value > MAX_TIMER_MS)) {
    throw new RangeError(
      `${owner}: ${name} must be a finite number of milliseconds > 0${timer ? ` and <= ${MAX_TIMER_MS}` : ''}, got ${describeValue(value)}`,
    )
  }
  return value
}
