import type { BreakerAdmission, BreakerOutcome } from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { describe, expect, it } from 'vitest'
import { breakerFleet, FAIL, OK } from '../../test/support/breakerFleet.ts'
import { applyBreakerSync, type StoredBreaker } from './applyBreakerSync.ts'
import type { BreakerSyncReply, BreakerSyncRequest } from './BreakerSync.ts'
import { FleetCircuitBreaker } from './FleetCircuitBreaker.ts'

/**
 * One step of a process's schedule: `F` an operation that fails (admit, then record), `B` a sync
 * begins (its request leaves), `E` its answer arrives.
 */
type Step = 'F' | 'B' | 'E'

/**
 * Every way the syncs of one process can fall around its three failures: in each of the four
 * gaps (before the first, between them, after the third), nothing, a sync leaving, an answer
 * arriving, or several of those, with at most one sync in flight at a time (as the driver has).
 */
function schedules(): Step[][] {
  const gaps: Step[][] = [[], ['B'], ['E'], ['B', 'E'], ['E', 'B'], ['B', 'E', 'B'], ['E', 'B', 'E']]
  const out: Step[][] = []
  const walk = (gap: number, steps: Step[], inFlight: boolean): void => {
    for (const g of gaps) {
      let flying = inFlight
      let valid = true
      for (const s of g) {
        if ((s === 'B') === flying) valid = false
        flying = s === 'B'
      }
      if (!valid) continue
      const next = [...steps, ...g]
      if (gap === 3) out.push(flying ? [...next, 'E'] : next)
      else walk(gap + 1, [...next, 'F'], flying)
    }
  }
  walk(0, [], false)
  // The same steps can come from different gaps ('BE' then 'B', or 'B' then 'EB'): keep one of each.
  return [...new Map(out.map((steps) => [steps.join(''), steps])).values()]
}

describe('FleetCircuitBreaker events, whatever the sync timing', () => {
  /**
   * Process a's three failures open the fleet (threshold 3); b, in step with the fleet, sends
   * the probe after recoveryTimeoutMs and closes it. As with a local breaker, a must report
   * `open` at its third failure and `closed` when it next asks after the close, b `open`,
   * `half_open`, `closed` — once each, however a's syncs fall around its failures. (A CI run
   * once saw a report nothing: the sync in flight at its third failure held the first ones.)
   */
  it('reports open at the failure that reaches the threshold and closed after, for every interleaving', async () => {
    const wrong: string[] = []
    const cases = schedules()
    expect(cases.length).toBeGreaterThan(100)
    for (const steps of cases) {
      for (const joined of [true, false]) {
        for (const appliedOnArrival of [true, false]) {
          for (const askAfterSync of [false, true]) {
            const name = `${steps.join('')}${joined ? '' : ' before its first sync'}${appliedOnArrival ? ', applied when the request arrives' : ', applied when the answer leaves'}${askAfterSync ? ', another request asking after each sync' : ''}`
            const got = await playOpenAndClose(steps, { joined, appliedOnArrival, askAfterSync })
            if (got !== 'a open,closed; b open,half_open,closed; generations 1,2,3') wrong.push(`${name}: ${got}`)
          }
        }
      }
    }
    expect(wrong).toEqual([])
  })

  it("keeps a probe's outcome when the answer to a sync that began before it arrives", async () => {
    for (const [outcome, entered] of [
      [OK, 'closed'],
      [FAIL, 'open'],
    ] as const) {
      const { members, sync, clock, openAndRecover, askAndSync, stored } = breakerFleet(2)
      const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
      await openAndRecover(3)
      b.admit()
      askAndSync(a)
      const probe = a.admit()
      expect(probe).toMatchObject({ probe: true, transition: 'half_open' })
      // A sync renewing the lease leaves; the probe ends before its answer arrives.
      const hold = a.beginSync(clock.now())
      expect(hold?.probe).toBe('hold')
      const staleReply = applyBreakerSync(stored(), hold as BreakerSyncRequest, clock.now()).reply
      expect(a.record(outcome, probe)).toBe(entered)
      a.endSync(staleReply, clock.now())
      expect(a.state).toBe(entered)
      expect(a.admit().transition).toBeUndefined()
      sync(a)
      sync(b)
      expect([a.state, b.state, stored()?.state]).toEqual([entered, entered, entered])
      expect(a.admit().transition).toBeUndefined()
      expect(b.admit().transition).toBe(entered)
    }
  })

  it('reports an opening learnt from a sync on its first local admission when the next sync fails first', async () => {
    const { members, sync, clock } = breakerFleet(2)
    const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
    sync()
    for (let i = 0; i < 5; i++) a.record(FAIL, a.admit())
    sync(a)
    sync(b) // b learns the fleet is open, and serves no call before Redis goes away
    b.failSync(new Error('down'), clock.now())
    expect(b.admit()).toMatchObject({ allowed: false, transition: 'open' })
    expect(b.admit().transition).toBeUndefined()
    await clock.advance(1000)
    const probe = b.admit() // the local breaker's own transition, as before
    expect(probe).toMatchObject({ allowed: true, probe: true, transition: 'half_open' })
    expect(b.record(OK, probe)).toBe('closed')
  })

  it('reports a close learnt from a sync on its first local admission when the next sync fails first', async () => {
    const { members, sync, clock, openAndRecover, askAndSync } = breakerFleet(2)
    const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
    await openAndRecover(3)
    expect(b.admit().transition).toBe('open')
    askAndSync(a)
    const probe = a.admit()
    expect(a.record(OK, probe)).toBe('closed')
    sync(a)
    sync(b) // b learns the fleet closed, and serves no call before Redis goes away
    b.failSync(new Error('down'), clock.now())
    expect(b.admit()).toMatchObject({ allowed: true, transition: 'closed' })
    expect(b.admit().transition).toBeUndefined()
  })

  it('reports an opening learnt from a sync after a local spell in which it served no call', () => {
    const { members, sync, clock } = breakerFleet(2)
    const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
    sync()
    for (let i = 0; i < 5; i++) a.record(FAIL, a.admit())
    sync(a)
    sync(b)
    b.failSync(new Error('down'), clock.now())
    sync(b) // back with the fleet, still open
    expect(b.admit()).toMatchObject({ allowed: false, transition: 'open' })
    expect(b.admit().transition).toBeUndefined()
  })

  it('counts in its local breaker the failures of a sync left unanswered', () => {
    const { members, sync, clock } = breakerFleet(1, { failureThreshold: 3 })
    const [a] = members as [FleetCircuitBreaker]
    sync()
    a.record(FAIL, a.admit())
    a.record(FAIL, a.admit())
    expect(a.beginSync(clock.now())?.failures).toHaveLength(2)
    a.failSync(new Error('no answer'), clock.now()) // timed out: the store may or may not have them
    expect(a.fleet).toBe(false)
    expect(a.record(FAIL, a.admit())).toBe('open')
    // They are not sent again: the store may have counted them.
    expect(a.beginSync(clock.now())?.failures).toHaveLength(1)
  })
})

/** Plays one schedule of a's syncs (see the test above); returns what each process reported and the store's generations. */
async function playOpenAndClose(
  steps: readonly Step[],
  options: { joined: boolean; appliedOnArrival: boolean; askAfterSync: boolean },
): Promise<string> {
  const clock = new FakeClock(1_000_000)
  let stored: StoredBreaker | undefined
  const generations: number[] = []
  const store = (request: BreakerSyncRequest) => {
    const result = applyBreakerSync(stored, request, clock.now())
    if (result.stored.generation !== (stored?.generation ?? 0)) generations.push(result.stored.generation)
    stored = result.stored
    return result.reply
  }
  const make = (id: string) => {
    const breaker = new FleetCircuitBreaker({ clock, failureThreshold: 3, recoveryTimeoutMs: 1000 }, 'test', id)
    const events: string[] = []
    const ask = (): BreakerAdmission => {
      const admission = breaker.admit()
      if (admission.transition !== undefined) events.push(admission.transition)
      return admission
    }
    const end = (outcome: BreakerOutcome, admission: BreakerAdmission): void => {
      const changed = breaker.record(outcome, admission)
      if (changed !== undefined) events.push(changed)
    }
    const sync = (): void => {
      const request = breaker.beginSync(clock.now())
      if (request !== undefined) breaker.endSync(store(request), clock.now())
    }
    return { breaker, events, ask, end, sync }
  }
  const a = make('a')
  const b = make('b')
  b.sync()
  if (options.joined) a.sync()
  let request: BreakerSyncRequest | undefined
  let reply: BreakerSyncReply | undefined
  for (const step of steps) {
    if (step === 'F') {
      const admission = a.ask()
      if (admission.allowed) a.end(FAIL, admission)
      continue
    }
    if (step === 'B') {
      request = a.breaker.beginSync(clock.now())
      if (options.appliedOnArrival && request !== undefined) reply = store(request)
    } else {
      if (request !== undefined) a.breaker.endSync(reply ?? store(request), clock.now())
      request = undefined
      reply = undefined
    }
    if (options.askAfterSync) a.ask()
  }
  if (a.events.join() !== 'open' || a.breaker.state !== 'open')
    return `a ${a.events} (${a.breaker.state}) after its failures`
  a.sync()
  b.sync()
  const rejected = b.ask()
  if (rejected.allowed) return 'b admitted while open'
  await clock.advance(1000)
  b.ask() // b wants the probe...
  b.sync() // ...and is elected
  const probe = b.ask()
  if (!probe.probe) return 'b was not given the probe'
  b.end(OK, probe)
  b.sync()
  a.sync()
  a.ask()
  return `a ${a.events}; b ${b.events}; generations ${generations}`
}
