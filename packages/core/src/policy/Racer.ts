import { Attempt } from './Attempt.ts'
import type { DeadlineEntry } from './DeadlineQueue.ts'
import type { HedgedRace } from './HedgedRace.ts'
import type { CancelledAttempt } from './RaceEnd.ts'
import { type ArmedTimer, disarm } from './runAttempt.ts'

/** One attempt in flight in a hedged wave. Also its own entry in the policy's deadline queue. */
export class Racer implements DeadlineEntry {
  expiresAtMs: number | undefined = undefined
  pending = true
  armed: ArmedTimer | undefined = undefined
  readonly ctx: Attempt
  readonly n: number
  readonly startMs: number
  readonly timeoutMs: number
  readonly isDeadline: boolean
  readonly #race: HedgedRace

  constructor(race: HedgedRace, n: number, startMs: number, timeoutMs: number, isDeadline: boolean) {
    this.#race = race
    this.n = n
    this.startMs = startMs
    this.timeoutMs = timeoutMs
    this.isDeadline = isDeadline
    this.ctx = new Attempt(n)
  }

  expire(): void {
    this.#race.expire(this)
  }
}

/** What the attempts that lost to attempt `winner` abort with. */
export const LOST = (winner: number): DOMException =>
  new DOMException(`attempt ${winner} won the hedge race; this attempt was abandoned`, 'AbortError')

/**
 * Stops every attempt in `inFlight` (emptied): their timers disarmed, their signals aborted with
 * `reason`. Returns them, in the order they started.
 */
export function abortRacers(inFlight: Racer[], reason: unknown): CancelledAttempt[] {
  const cancelled: CancelledAttempt[] = []
  for (const other of inFlight.splice(0)) {
    other.pending = false
    if (other.armed !== undefined) {
      disarm(other.armed)
      other.armed = undefined
    }
    other.ctx.abort(reason)
    cancelled.push({ attempt: other.n, startMs: other.startMs, reason })
  }
  return cancelled
}
