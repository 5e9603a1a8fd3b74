import { describe, expect, it } from 'vitest'
import { runFleetOutage } from '../src/sim/fleet/fleetExperiments.ts'
import { type FleetSetup, runFleetLoop } from '../src/sim/fleet/fleetLoop.ts'

const perProcess: FleetSetup = { name: 'per process', budget: 'process', breaker: 'process' }
const fleetWide: FleetSetup = { name: 'fleet', budget: 'fleet', breaker: 'fleet' }
const sync = { syncIntervalMs: 100, redisRttMs: 1 }

/** A 40 s total outage after 2 s of health, 30 processes at 1 req/s. */
const outage = (setup: FleetSetup, seed = 5) =>
  runFleetLoop({
    processes: 30,
    requestsPerSecondPerProcess: 1,
    durationMs: 42_000,
    timeoutMs: Infinity,
    server: { kind: 'flaky', failureProbability: 1, fromMs: 2_000 },
    setup,
    sync,
    seed,
  })

describe('fleet simulation', () => {
  it('gives the same result for the same seed', () => {
    expect(outage(fleetWide)).toEqual(outage(fleetWide))
  })

  it('sends a fraction of the retries into an outage with fleet-wide state, and one probe per recovery period', () => {
    const local = outage(perProcess)
    const fleet = outage(fleetWide)
    const retries = (r: typeof local) => r.retriesPerBucket.reduce((a, x) => a + x, 0)
    expect(retries(fleet) * 5).toBeLessThan(retries(local))
    // 40 s of outage, 30 s recovery: one probe for the fleet; one per process (whose breaker opened early enough) without it.
    expect(fleet.probes).toBe(1)
    expect(local.probes).toBeGreaterThan(20)
    expect(fleet.lastNonProbeAttemptMs - 2_000).toBeLessThan(2 * sync.syncIntervalMs + 1_000)
  })

  it('models one Redis call per object per sync interval (plus the round trip)', () => {
    const r = outage({ name: 'budget only', budget: 'fleet', breaker: 'none' })
    const expected = (30 * 42_000) / (sync.syncIntervalMs + sync.redisRttMs)
    expect(r.redisCalls).toBeGreaterThan(expected * 0.95)
    expect(r.redisCalls).toBeLessThan(expected * 1.1)
  })

  it('reports when the fleet stopped sending, or that it never did', () => {
    expect(runFleetOutage(fleetWide, 10, 1, sync, 10_000).stopsSendingMs).toBeLessThan(2_000)
    expect(runFleetOutage({ ...fleetWide, breaker: 'none' }, 10, 1, sync, 10_000).stopsSendingMs).toBeUndefined()
  })
})
