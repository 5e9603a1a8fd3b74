import { type AdmissionThrottle, isThrottledError, ThrottledError } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { FakeClock, seededRandom } from '@redress/core/testing'
import { type FaultServer, startFaultServer } from '@redress/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { redressFetch } from '../src/redressFetch.ts'

// Issue 16: a request the client-side throttle refuses is never sent, and redressFetch rejects
// with ThrottledError, as it rejects with CircuitOpenError for an open breaker.

const servers: FaultServer[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close()
})

const refuseAll: AdmissionThrottle = { admit: () => false, recordSuccess: () => {}, recordFailure: () => {} }

describe('redressFetch with a client-side throttle', () => {
  it('rejects a refused request with ThrottledError and sends nothing', async () => {
    const server = await startFaultServer(() => ({ status: 200, body: 'ok' }))
    servers.push(server)
    const wrapped = redressFetch({ policy: httpPolicy({ throttleFor: () => refuseAll }) })
    const error = await wrapped(`${server.origin}/x`).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ThrottledError)
    expect(server.requests).toHaveLength(0)
  })

  it('sheds requests to an origin that keeps answering 503, and only those', async () => {
    const server = await startFaultServer(() => ({ status: 503, body: 'down' }))
    servers.push(server)
    const policy = httpPolicy({ clock: new FakeClock(), random: seededRandom(11), maxAttempts: 1 })
    const wrapped = redressFetch({ policy })
    let refused = 0
    let answered = 0
    for (let i = 0; i < 40; i++) {
      const outcome = await wrapped(`${server.origin}/item/${i}`).catch((e: unknown) => e)
      if (isThrottledError(outcome)) refused++
      else {
        expect((outcome as Response).status).toBe(503)
        await (outcome as Response).text()
        answered++
      }
    }
    expect(answered + refused).toBe(40)
    expect(server.requests).toHaveLength(answered)
    expect(answered).toBeGreaterThanOrEqual(10)
    expect(refused).toBeGreaterThan(10)
  })
})
