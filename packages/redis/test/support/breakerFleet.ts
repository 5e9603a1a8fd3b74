import { type BreakerOutcome, ErrorClass } from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { applyBreakerSync, type StoredBreaker } from '../../src/model/applyBreakerSync.ts'
import { FleetCircuitBreaker } from '../../src/model/FleetCircuitBreaker.ts'
import type { FleetCircuitBreakerOptions } from '../../src/model/FleetCircuitBreakerOptions.ts'

/** A failure of a class that trips the breaker. */
export const FAIL: BreakerOutcome = { kind: 'failure', errorClass: ErrorClass.SERVER_ERROR }
/** A success. */
export const OK: BreakerOutcome = { kind: 'success' }

/** What {@link breakerFleet} gives a test. */
export interface BreakerFleet {
  readonly clock: FakeClock
  readonly members: FleetCircuitBreaker[]
  /** Syncs the given members (all when none), one after the other, with the shared store. */
  readonly sync: (...which: FleetCircuitBreaker[]) => void
  /** Each member fails `times` operations (no sync). */
  readonly failEach: (times: number) => void
  /** Opens the fleet: all sync, each member fails `times` operations, then two rounds of syncs spread it. */
  readonly open: (times: number) => void
  /** Opens the fleet (see `open`), then lets recoveryTimeoutMs (1 s) pass: the next admissions ask for the probe. */
  readonly openAndRecover: (times: number) => Promise<void>
  /** `b` asks for admission, then syncs: its ask reaches the store (and its answer comes back). */
  readonly askAndSync: (b: FleetCircuitBreaker) => void
  /** The members' indices, in the order they asked for an urgent sync. */
  readonly urgents: number[]
  /** The breaker as the store holds it now. */
  readonly stored: () => StoredBreaker | undefined
}

/** A fleet of breakers sharing one simulated store (the Lua script's twin), synced by hand. */
export function breakerFleet(n: number, options: FleetCircuitBreakerOptions = {}): BreakerFleet {
  const clock = new FakeClock(1_000_000)
  let stored: StoredBreaker | undefined
  const urgents: number[] = []
  const members = Array.from({ length: n }, (_, i) => {
    const b = new FleetCircuitBreaker({ clock, recoveryTimeoutMs: 1000, ...options }, 'test', `p${i}`)
    b.setSyncHooks({ wake: () => {}, urgent: () => urgents.push(i) })
    return b
  })
  const sync = (...which: FleetCircuitBreaker[]): void => {
    for (const b of which.length === 0 ? members : which) {
      const request = b.beginSync(clock.now())
      if (request === undefined) continue
      const result = applyBreakerSync(stored, request, clock.now())
      stored = result.stored
      b.endSync(result.reply, clock.now())
    }
  }
  /** Each member fails `times` operations (no sync). */
  const failEach = (times: number): void => {
    for (let t = 0; t < times; t++) {
      for (const b of members) {
        const admission = b.admit()
        if (admission.allowed) b.record(FAIL, admission)
      }
    }
  }
  /** Opens the fleet: all sync, each member fails `times` operations, then two rounds of syncs spread it. */
  const open = (times: number): void => {
    sync()
    failEach(times)
    sync()
    sync()
  }
  /** Opens the fleet (see `open`), then lets recoveryTimeoutMs (1 s) pass: the next admissions ask for the probe. */
  const openAndRecover = async (times: number): Promise<void> => {
    open(times)
    await clock.advance(1000)
  }
  /** `b` asks for admission, then syncs: its ask reaches the store (and its answer comes back). */
  const askAndSync = (b: FleetCircuitBreaker): void => {
    b.admit()
    sync(b)
  }
  return { clock, members, sync, failEach, open, openAndRecover, askAndSync, urgents, stored: () => stored }
}
