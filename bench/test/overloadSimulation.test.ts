import { describe, expect, it } from 'vitest'
import { CLIENT_POLICIES } from '../src/sim/clientPolicies.ts'
import { runOpenLoop } from '../src/sim/openLoop.ts'
import { CANDIDATES, candidatePolicy, windowCandidate } from '../src/sim/overload/candidatePolicies.ts'
import { overloadTargets } from '../src/sim/overload/overloadExperiments.ts'

const candidate = (name: string) => {
  const c = CANDIDATES.find((x) => x.name === name)
  if (c === undefined) throw new Error(`no candidate ${name}`)
  return candidatePolicy(c)
}
const defaultPolicy = CLIENT_POLICIES.find((p) => p.name === 'default HTTP policy')

const outage = (makeClient: Parameters<typeof runOpenLoop>[0]['makeClient'], failureProbability = 1) =>
  runOpenLoop({
    clients: 3,
    requestsPerSecondPerClient: 5,
    durationMs: 20_000,
    timeoutMs: Infinity,
    server: { kind: 'flaky', failureProbability },
    seed: 9,
    makeClient,
  })

describe('overload simulation (issue 16)', () => {
  it('never sends a request the throttle refused: it counts, with no attempt', () => {
    const r = outage(candidatePolicy(windowCandidate(20)).makeClient)
    expect(r.refused).toBeGreaterThan(r.requests / 2)
    expect(r.succeeded).toBe(0)
    let withoutAttempt = 0
    for (let i = 0; i < r.requests; i++) if (r.requestAttempts[i] === 0) withoutAttempt++
    expect(withoutAttempt).toBe(r.refused)
    expect(r.attempts).toBeLessThan(r.requests)
    expect(r.refusedPerBucket.reduce((a, n) => a + n, 0)).toBe(r.refused)
  })

  it('refuses nothing without a throttle, and the default HTTP policy throttles like its candidate', () => {
    expect(outage(candidate('previous default').makeClient).refused).toBe(0)
    if (defaultPolicy === undefined) throw new Error('no default HTTP policy')
    expect(outage(defaultPolicy.makeClient)).toEqual(outage(candidatePolicy(windowCandidate(20)).makeClient))
  })

  it('is deterministic for a seed', () => {
    const p = candidate('RatioBudget 0.5 + throttle')
    expect(outage(p.makeClient, 0.4)).toEqual(outage(p.makeClient, 0.4))
  })

  it('publishes a PASS or MISSED line per target', () => {
    const lines = overloadTargets({ partial: [], storm: [], outage: [], normal: [], window: [], cap: [], capSeeds: [] })
    expect(lines).toHaveLength(6)
    for (const line of lines) expect(line).toMatch(/^(PASS|MISSED) /)
    expect(lines.filter((l) => l.startsWith('MISSED'))).toHaveLength(6)
  })
})
