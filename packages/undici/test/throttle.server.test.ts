import { type AdmissionThrottle, isThrottledError, ThrottledError } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { FakeClock, seededRandom } from '@redress/core/testing'
import { type FaultServer, startFaultServer } from '@redress/test-support'
import { Agent, request } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { redressInterceptor } from '../src/redressInterceptor.ts'

// Issue 16: a request the client-side throttle refuses is never sent, and undici rejects with
// ThrottledError, as it rejects with CircuitOpenError for an open breaker.

const servers: FaultServer[] = []
const agents: Agent[] = []
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close()
  for (const s of servers.splice(0)) await s.close()
})

const refuseAll: AdmissionThrottle = { admit: () => false, recordSuccess: () => {}, recordFailure: () => {} }

describe('redressInterceptor with a client-side throttle', () => {
  it('rejects a refused request with ThrottledError and sends nothing', async () => {
    const server = await startFaultServer(() => ({ status: 200, body: 'ok' }))
    servers.push(server)
    const agent = new Agent()
    agents.push(agent)
    const dispatcher = agent.compose(redressInterceptor({ policy: httpPolicy({ throttleFor: () => refuseAll }) }))
    const error = await request(`${server.origin}/x`, { dispatcher }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ThrottledError)
    expect(server.requests).toHaveLength(0)
  })

  it('sheds requests to an origin that keeps answering 503, keyed by the dispatch origin', async () => {
    const server = await startFaultServer(() => ({ status: 503, body: 'down' }))
    servers.push(server)
    const agent = new Agent()
    agents.push(agent)
    const policy = httpPolicy({ clock: new FakeClock(), random: seededRandom(11), maxAttempts: 1 })
    const dispatcher = agent.compose(redressInterceptor({ policy }))
    let refused = 0
    let answered = 0
    for (let i = 0; i < 40; i++) {
      const outcome = await request(`${server.origin}/item/${i}`, { dispatcher }).catch((e: unknown) => e)
      if (isThrottledError(outcome)) refused++
      else {
        const response = outcome as Awaited<ReturnType<typeof request>>
        expect(response.statusCode).toBe(503)
        await response.body.text()
        answered++
      }
    }
    expect(answered + refused).toBe(40)
    expect(server.requests).toHaveLength(answered)
    expect(answered).toBeGreaterThanOrEqual(10)
    expect(refused).toBeGreaterThan(10)
    expect(Object.keys(policy.throttles())).toEqual([server.origin])
  })
})
