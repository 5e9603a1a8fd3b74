import { EventName, type TokenBudget } from '@redress/core'
import { type FaultServer, type FaultStep, startFaultServer, virtualPolicy } from '@redress/test-support'
import axios, { type AxiosAdapter, type AxiosRequestConfig, isAxiosError } from 'axios'
import { afterEach, describe, expect, it } from 'vitest'
import { installRedress } from '../src/installRedress.ts'

// axios also rejects responses that are no failure by redress's status table: a 3xx it was told
// not to follow (`maxRedirects: 0`), or a 2xx/3xx the caller's own `validateStatus` refuses.
// Sending the request again gets the same answer, so the caller gets axios's rejection at once.

let server: FaultServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/**
 * Sends one GET to a server that always answers `step`, through an instance with redress on a
 * virtual-time policy whose per-origin budget is the default `TokenBudget`; records every
 * rejection axios's transport made, and the policy's events.
 */
async function sendOnce(adapterName: 'http' | 'fetch', step: FaultStep, config: AxiosRequestConfig) {
  const s = await startFaultServer(() => step)
  server = s
  const events: string[] = []
  const { policy, sleeps } = virtualPolicy({ onMetric: (event) => events.push(event) })
  const transport = axios.getAdapter(adapterName)
  const rejections: unknown[] = []
  const adapter: AxiosAdapter = (attemptConfig) =>
    transport(attemptConfig).catch((error: unknown) => {
      rejections.push(error)
      throw error
    })
  const api = axios.create({ baseURL: s.origin, adapter })
  installRedress(api, { policy })
  const budget = policy.budgetFor(s.origin) as TokenBudget
  const tokensBefore = budget.tokens
  const error: unknown = await api.get('/thing', config).then(
    () => expect.unreachable('axios rejects this status'),
    (e: unknown) => e,
  )
  return { error, rejections, requests: s.requests.length, events, sleeps, tokensSpent: tokensBefore - budget.tokens }
}

/** axios's own rejection, from the one request sent: no sleep, no budget token, a permanent failure. */
function expectHandedBackAtOnce(got: Awaited<ReturnType<typeof sendOnce>>): void {
  expect(got.rejections).toHaveLength(1)
  expect(got.rejections[0]).toBe(got.error)
  expect(got.requests).toBe(1)
  expect(got.sleeps).toEqual([])
  expect(got.tokensSpent).toBe(0)
  expect(got.events).toEqual([EventName.PERMANENT_FAIL])
}

describe('installRedress: a status axios rejects but redress does not call a failure', () => {
  it('hands back a 302 not followed under maxRedirects: 0 after one request', async () => {
    const got = await sendOnce('http', { status: 302, headers: { location: '/elsewhere' } }, { maxRedirects: 0 })
    expect(isAxiosError(got.error) && got.error.response?.status).toBe(302)
    expectHandedBackAtOnce(got)
  })

  describe.each(['http', 'fetch'] as const)('with axios’s %s adapter', (adapterName) => {
    it.each([
      [201, (status: number) => status === 200],
      [304, (status: number) => status < 300],
      [302, (status: number) => status < 300],
      // Not a success, and never retried anyway: PERMANENT.
      [404, (status: number) => status < 300],
    ])(
      'hands back a %i its validateStatus rejects after one request, spending no budget',
      async (status, validateStatus) => {
        // No Location: fetch would follow a 302 that has one.
        const got = await sendOnce(adapterName, { status }, { validateStatus })
        expect(isAxiosError(got.error) && got.error.response?.status).toBe(status)
        expectHandedBackAtOnce(got)
      },
    )

    it('still retries a 503 under a custom validateStatus', async () => {
      const got = await sendOnce(adapterName, { status: 503 }, { validateStatus: (status) => status < 300 })
      expect(isAxiosError(got.error) && got.error.response?.status).toBe(503)
      expect(got.requests).toBe(3)
      expect(got.rejections).toHaveLength(3)
    })
  })
})
