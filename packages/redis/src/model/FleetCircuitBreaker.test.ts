import { CircuitBreaker, ErrorClass } from '@redress/core'
import { FakeClock } from '@redress/core/testing'
import { describe, expect, it } from 'vitest'
import { breakerFleet, FAIL, OK } from '../../test/support/breakerFleet.ts'
import { FleetCircuitBreaker } from './FleetCircuitBreaker.ts'
import { FLEET_CIRCUIT_BREAKER_DEFAULTS } from './FleetCircuitBreakerOptions.ts'

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
    const { members, sync, failEach } = breakerFleet(5)
    sync()
    failEach(1) // one failure in each of 5 processes: none alone has reached 5
    expect(members.map((b) => b.state)).toEqual(['closed', 'closed', 'closed', 'closed', 'closed'])
    sync()
    sync()
    expect(members.map((b) => b.state)).toEqual(['open', 'open', 'open', 'open', 'open'])
  })

  it('reports a transition learnt from a sync once, on the next admission', () => {
    const { members, open } = breakerFleet(5)
    const [a] = members as [FleetCircuitBreaker]
    open(1)
    const first = a.admit()
    expect(first).toMatchObject({ allowed: false, transition: 'open' })
    expect(first.retryInMs).toBeGreaterThan(0)
    expect(a.admit().transition).toBeUndefined()
  })

  it('elects exactly one prober after recoveryTimeoutMs, and its success closes the fleet', async () => {
    const { members, sync, openAndRecover } = breakerFleet(4)
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
    const { members, sync, openAndRecover, askAndSync } = breakerFleet(3)
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
    const { members, clock, openAndRecover, askAndSync } = breakerFleet(2, { probeLeaseMs: 500 })
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
    const { members, sync, clock, openAndRecover, askAndSync } = breakerFleet(2, { probeLeaseMs: 500 })
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
    const { members, sync, urgents, openAndRecover, askAndSync } = breakerFleet(2)
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
    const { members, sync, urgents } = breakerFleet(2)
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
    const { members, sync } = breakerFleet(2)
    const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
    sync()
    for (let i = 0; i < 3; i++) b.record(FAIL, b.admit())
    sync(b)
    a.record(FAIL, a.admit())
    sync(a) // a now knows of 4 failures in the fleet
    expect(a.toJSON()).toEqual({ state: 'closed', generation: 0, failures: 4, fleet: true })
    expect(a.record(FAIL, a.admit())).toBe('open')
    // Opened itself, it shows no failure count (as a process that learnt the opening from a
    // sync); its generation is the store's to give: the answer to its next sync brings it.
    expect(a.toJSON()).toEqual({ state: 'open', generation: 0, failures: 0, fleet: true })
    sync(a)
    sync(b)
    expect([a.toJSON(), b.toJSON()]).toEqual([
      { state: 'open', generation: 1, failures: 0, fleet: true },
      { state: 'open', generation: 1, failures: 0, fleet: true },
    ])
  })

  it('counts per-class thresholds fleet-wide', () => {
    const { members, sync } = breakerFleet(2, { classThresholds: { [ErrorClass.RATE_LIMIT]: 2 } })
    const [a, b] = members as [FleetCircuitBreaker, FleetCircuitBreaker]
    sync()
    a.record({ kind: 'failure', errorClass: ErrorClass.RATE_LIMIT }, a.admit())
    b.record({ kind: 'failure', errorClass: ErrorClass.RATE_LIMIT }, b.admit())
    sync()
    sync()
    expect([a.state, b.state]).toEqual(['open', 'open'])
  })

  it('ignores outcomes that do not trip and failures recorded after the fleet opened', () => {
    const { members, sync, failEach, stored } = breakerFleet(2)
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
    const { members, sync, clock, open } = breakerFleet(2)
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
    const { members, clock } = breakerFleet(1, { idleAfterMs: 1000 })
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
