import { type BreakerAdmission, type BreakerOutcome, CircuitBreaker, ErrorClass } from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { describe, expect, it } from 'vitest'
import { applyBreakerSync, type StoredBreaker } from './applyBreakerSync.ts'
import type { BreakerSyncReply, BreakerSyncRequest } from './BreakerSync.ts'
import { FleetCircuitBreaker } from './FleetCircuitBreaker.ts'
import { FLEET_CIRCUIT_BREAKER_DEFAULTS, type FleetCircuitBreakerOptions } from './FleetCircuitBreakerOptions.ts'

const FAIL = { kind: 'failure', errorClass: ErrorClass.SERVER_ERROR } as const
const OK = { kind: 'success' } as const

/** A fleet of breakers sharing one simulated store (the Lua script's twin), synced by hand. */
function fleet(n: number, options: FleetCircuitBreakerOptions = {}) {
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

describe('FleetCircuitBreaker', () => {
  it('decides like a local CircuitBreaker before its first sync', () => {
    const clock = new FakeClock()
    const local = new CircuitBreaker({ clock })
    const b = new FleetCircuitBreaker({ clock })
    for (let i = 0; i < 6; i++) {
      const [x, y] = [local.admit(), b.admit()]
      expect(y).toEqual(x)
      if (x.allowed) expect(b.record(FAIL, y)).toBe(local.record(FAIL, x))
    }
    expect(b.state).toBe('open')
  })

  it('opens for the whole fleet when failures across processes reach the threshold', () => {
    const { members, sync, failEach } = fleet(5)
    sync()
    failEach(1) // one failure in each of 5 processes: none alone has reached 5
    expect(members.map((b) => b.state)).toEqual(['closed', 'closed', 'closed', 'closed', 'closed'])
    sync()
    sync()
    expect(members.map((b) => b.state)).toEqual(['open', 'open', 'open', 'open', 'open'])
  })

  it('reports a transition learnt from a sync once, on the next admission', () => {
    const { members, open } = fleet(5)
    const [a] = members as [FleetCircuitBreaker]
    open(1)
    const first = a.admit()
    expect(first).toMatchObject({ allowed: false, transition: 'open' })
    expect(first.retryInMs).toBeGreaterThan(0)
    expect(a.admit().transition).toBeUndefined()
  })

  it('elects exactly one prober after recoveryTimeoutMs, and its success closes the fleet', async () => {
    const { members, sync, openAndRecover } = fleet(4)
    await openAndRecover(2)
    // Every process wants the probe; whoever syncs first gets it.
    const first = members.map((b) => b.admit())
    expect(first.every((a) => !a.allowed)).toBe(true)
    sync()
    const second = members.map((b) => b.admit())
    expect(second.filter((a) => a.allowed)).toHaveLength(1)
    expect(second[0]).toMatchObject({ allowed: true, probe: true, transition: 'half_open' })
    sync()
    sync()
    expect(members.map((b) => b.admit().allowed)).toEqual([false, false, false, false])
    const probe = second[0] as NonNullable<(typeof second)[0]>
    expect((members[0] as FleetCircuitBreaker).record(OK, probe)).toBe('closed')
    sync()
    sync()
    expect(members.map((b) => b.state)).toEqual(['closed', 'closed', 'closed', 'closed'])
    expect(members.slice(1).map((b) => b.admit().transition)).toEqual(['closed', 'closed', 'closed'])
  })

  it('re-opens for the fleet when the probe fails, with a fresh recovery time', async () => {
    const { members, sync, openAndRecover, askAndSync } = fleet(3)
    const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
    await openAndRecover(2)
    askAndSync(a)
    const probe = a.admit()
    expect(probe.probe).toBe(true)
    expect(a.record(FAIL, probe)).toBe('open')
    sync()
    expect(b.state).toBe('open')
    expect(b.admit().retryInMs).toBe(1000)
  })

  it('hands the probe to another process when the prober never comes back (lease)', async () => {
    const { members, clock, openAndRecover, askAndSync } = fleet(2, { probeLeaseMs: 500 })
    const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
    await openAndRecover(3)
    askAndSync(a)
    expect(a.admit().probe).toBe(true) // a crashes here, its probe in flight
    askAndSync(b)
    expect(b.admit().allowed).toBe(false)
    await clock.advance(499)
    askAndSync(b)
    expect(b.admit().allowed).toBe(false)
    await clock.advance(1)
    askAndSync(b)
    expect(b.admit()).toMatchObject({ allowed: true, probe: true })
  })

  it('renews the lease while its probe is in flight', async () => {
    const { members, sync, clock, openAndRecover, askAndSync } = fleet(2, { probeLeaseMs: 500 })
    const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
    await openAndRecover(3)
    askAndSync(a)
    expect(a.admit().probe).toBe(true)
    for (let i = 0; i < 10; i++) {
      await clock.advance(100)
      sync(a)
      askAndSync(b)
      expect(b.admit().allowed).toBe(false)
    }
  })

  it('gives an unused probe back at its next sync, and an aborted probe at once', async () => {
    const { members, sync, urgents, openAndRecover, askAndSync } = fleet(2)
    const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
    await openAndRecover(3)
    askAndSync(a) // a is elected...
    sync(a) // ...but made no call since: it gives the probe back
    askAndSync(b)
    const probe = b.admit()
    expect(probe.probe).toBe(true)
    urgents.length = 0
    expect(b.record({ kind: 'neutral' }, probe)).toBeUndefined()
    expect(urgents).toEqual([1])
    sync(b)
    askAndSync(a)
    expect(a.admit().probe).toBe(true)
  })

  it('opens here at once when this process alone reaches the threshold, and asks for an urgent sync', () => {
    const { members, sync, urgents } = fleet(2)
    const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
    sync()
    for (let i = 0; i < 4; i++) a.record(FAIL, a.admit())
    expect(urgents).toEqual([])
    expect(a.record(FAIL, a.admit())).toBe('open')
    expect(urgents).toEqual([0])
    expect(a.admit().transition).toBeUndefined() // already reported by record()
    sync(a)
    sync(b)
    expect(b.state).toBe('open')
    expect(a.admit().transition).toBeUndefined()
  })

  it('opens here at the failure that brings the fleet count of the last sync to the threshold', () => {
    const { members, sync } = fleet(2)
    const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
    sync()
    for (let i = 0; i < 3; i++) b.record(FAIL, b.admit())
    sync(b)
    a.record(FAIL, a.admit())
    sync(a) // a now knows of 4 failures in the fleet
    expect(a.state).toBe('closed')
    expect(a.record(FAIL, a.admit())).toBe('open')
  })

  it('counts per-class thresholds fleet-wide', () => {
    const { members, sync } = fleet(2, { classThresholds: { [ErrorClass.RATE_LIMIT]: 2 } })
    const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
    sync()
    a.record({ kind: 'failure', errorClass: ErrorClass.RATE_LIMIT }, a.admit())
    b.record({ kind: 'failure', errorClass: ErrorClass.RATE_LIMIT }, b.admit())
    sync()
    sync()
    expect([a.state, b.state]).toEqual(['open', 'open'])
  })

  it('ignores outcomes that do not trip and failures recorded after the fleet opened', () => {
    const { members, sync, failEach, stored } = fleet(2)
    const [a] = members as [FleetCircuitBreaker]
    sync()
    a.record({ kind: 'failure', errorClass: ErrorClass.PERMANENT }, a.admit())
    a.record(OK, a.admit())
    sync(a)
    expect(stored()?.failures).toEqual([])
    failEach(3)
    sync()
    const generation = stored()?.generation
    a.record(FAIL, { allowed: true, probe: false })
    sync()
    expect(stored()?.generation).toBe(generation)
  })

  it('falls back to a local breaker resumed from the fleet view when a sync fails, and rejoins', async () => {
    const { members, sync, clock, open } = fleet(2)
    const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
    open(3)
    expect(b.admit().transition).toBe('open')
    b.failSync(new Error('down'), clock.now())
    expect(b.fleet).toBe(false)
    expect(b.state).toBe('open')
    expect(b.admit().allowed).toBe(false)
    await clock.advance(1000)
    // Locally, the first admission after recovery is the probe.
    const probe = b.admit()
    expect(probe).toMatchObject({ allowed: true, probe: true })
    expect(b.record(OK, probe)).toBe('closed')
    // Back with the fleet, which is still open: b reports it again.
    sync(b)
    expect(b.fleet).toBe(true)
    expect(b.admit()).toMatchObject({ allowed: false, transition: 'open' })
    expect(a.state).toBe('open')
  })

  it('stops syncing after idleAfterMs with nothing to report', async () => {
    const { members, clock } = fleet(1, { idleAfterMs: 1000 })
    const [a] = members as [FleetCircuitBreaker]
    a.admit()
    expect(a.beginSync(clock.now())).toBeDefined()
    await clock.advance(1000)
    expect(a.beginSync(clock.now())).toBeUndefined()
  })

  it('rejects bad options naming them, under its own name', () => {
    expect(() => new FleetCircuitBreaker({ failureThreshold: 0 }, 'RedisCircuitBreaker')).toThrow(
      /^RedisCircuitBreaker: failureThreshold/,
    )
    expect(() => new FleetCircuitBreaker({ probeLeaseMs: 0 })).toThrow(/probeLeaseMs/)
    expect(() => new FleetCircuitBreaker({ idleAfterMs: Number.POSITIVE_INFINITY })).toThrow(/idleAfterMs/)
    expect(() => new FleetCircuitBreaker({ tripOn: ['NOPE' as never] })).toThrow(TypeError)
  })

  it('documents its defaults', () => {
    const b = new FleetCircuitBreaker()
    expect([b.probeLeaseMs, b.idleAfterMs]).toEqual([
      FLEET_CIRCUIT_BREAKER_DEFAULTS.probeLeaseMs,
      FLEET_CIRCUIT_BREAKER_DEFAULTS.idleAfterMs,
    ])
  })
})

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
      const { members, sync, clock, openAndRecover, askAndSync, stored } = fleet(2)
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

  it('counts in its local breaker the failures of a sync left unanswered', () => {
    const { members, sync, clock } = fleet(1, { failureThreshold: 3 })
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
