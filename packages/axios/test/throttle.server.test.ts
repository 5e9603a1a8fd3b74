import { type AdmissionThrottle, isThrottledError, ThrottledError } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { FakeClock, seededRandom } from '@redress/core/testing'
import { type FaultServer, startFaultServer } from '@redress/test-support'
import axios from 'axios'
import { afterEach, describe, expect, it } from 'vitest'
import { installRedress } from '../src/installRedress.ts'

// Issue 16: a request the client-side throttle refuses is never sent, and axios rejects with
// ThrottledError, as it rejects with CircuitOpenError for an open breaker.

const servers: FaultServer[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close()
})

const refuseAll: AdmissionThrottle = { admit: () => false, recordSuccess: () => {}, recordFailure: () => {} }

describe('installRedress with a client-side throttle', () => {
  it('rejects a refused request with ThrottledError and sends nothing', async () => {
    const server = await startFaultServer(() => ({ status: 200, body: 'ok' }))
    servers.push(server)
    const api = axios.create({ baseURL: server.origin })
    installRedress(api, { policy: httpPolicy({ throttleFor: () => refuseAll }) })
    const error = await api.get('/x').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ThrottledError)
    expect(server.requests).toHaveLength(0)
  })

  it('sheds requests to an origin that keeps answering 503', async () => {
    const server = await startFaultServer(() => ({ status: 503, body: 'down' }))
    servers.push(server)
    const api = axios.create({ baseURL: server.origin })
    installRedress(api, { policy: httpPolicy({ clock: new FakeClock(), random: seededRandom(11), maxAttempts: 1 }) })
    let refused = 0
    let answered = 0
    for (let i = 0; i < 40; i++) {
      const error = await api.get(`/item/${i}`).catch((e: unknown) => e)
      if (isThrottledError(error)) refused++
      else {
        expect(axios.isAxiosError(error) && error.response?.status).toBe(503)
        answered++
      }
    }
    expect(answered + refused).toBe(40)
    expect(server.requests).toHaveLength(answered)
    expect(answered).toBeGreaterThanOrEqual(10)
    expect(refused).toBeGreaterThan(10)
  })
})
