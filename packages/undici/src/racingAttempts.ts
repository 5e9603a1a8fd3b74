import type { AttemptHandler } from './AttemptHandler.ts'
import type { RunMore } from './RunMore.ts'

// A run's attempts as it tells them apart: the current one (the latest, or the forwarded
// response's), and with hedging every attempt of the run, racing — several may be in flight at
// once and any may end the run, so they all stay reachable until it ends.

/** Keeps `attempt`, a hedged run's, among the run's racing attempts. */
export function race(more: RunMore, attempt: AttemptHandler): void {
  more.racing ??= []
  more.racing.push(attempt)
}

/** The attempt whose response head is `response`: the `current` one, or (hedging) any of the `racing` ones. */
export function attemptOf(
  current: AttemptHandler | undefined,
  racing: readonly AttemptHandler[] | undefined,
  response: unknown,
): AttemptHandler | undefined {
  if (current !== undefined && current.head === response) return current
  return racing?.find((attempt) => attempt.head === response)
}

/** True for the `current` attempt, and (hedging) for every one of the `racing` attempts. */
export function isLive(
  attempt: AttemptHandler,
  current: AttemptHandler | undefined,
  racing: readonly AttemptHandler[] | undefined,
): boolean {
  return attempt === current || racing?.includes(attempt) === true
}
