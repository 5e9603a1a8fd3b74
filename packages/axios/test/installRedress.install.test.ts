import { httpPolicy } from '@redress/core/http'
import { type FaultServer, startFaultServer, virtualPolicy } from '@redress/test-support'
import axios, { type AxiosError } from 'axios'
import { afterEach, describe, expect, it } from 'vitest'
import { installRedress } from '../src/installRedress.ts'

let server: FaultServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

/** A server that fails every odd request with 503. */
async function flaky(): Promise<FaultServer> {
  server = await startFaultServer((n) => (n % 2 === 0 ? { status: 503 } : { status: 200, body: 'ok' }))
  return server
}

describe('installRedress', () => {
  it('does not stack when installed twice on one instance, and returns the same eject', async () => {
    // Every request fails: one installation sends maxAttempts (3) requests; two stacked would send more.
    server = await startFaultServer(() => ({ status: 503 }))
    const s = server
    const api = axios.create({ baseURL: s.origin })
    const { policy } = virtualPolicy({ budget: null })
    const eject = installRedress(api, { policy })
    expect(installRedress(api, { policy })).toBe(eject)
    const error: unknown = await api.get('/a').catch((e: unknown) => e)
    expect((error as AxiosError).response?.status).toBe(503)
    expect(s.requests).toHaveLength(3)
  })

  it('ejects: requests after eject are sent once, and a re-install retries again', async () => {
    server = await startFaultServer((n) => (n < 3 ? { status: 503 } : { status: 200, body: 'ok' }))
    const s = server
    const api = axios.create({ baseURL: s.origin })
    const { policy } = virtualPolicy({ budget: null })
    const eject = installRedress(api, { policy })
    eject()
    eject()
    const error: unknown = await api.get('/b').catch((e: unknown) => e)
    expect((error as AxiosError).response?.status).toBe(503)
    expect(s.requests).toHaveLength(1)
    const again = installRedress(api, { policy })
    expect(again).not.toBe(eject)
    expect((await api.get('/c')).data).toBe('ok')
    expect(s.requests).toHaveLength(4)
  })

  it('keeps instances apart', async () => {
    const s = await flaky()
    const { policy } = virtualPolicy({ budget: null })
    const withRedress = axios.create({ baseURL: s.origin })
    const without = axios.create({ baseURL: s.origin })
    installRedress(withRedress, { policy })
    expect((await withRedress.get('/d')).data).toBe('ok')
    const error: unknown = await without.get('/e').catch((e: unknown) => e)
    expect((error as AxiosError).response?.status).toBe(503)
  })

  it('runs the user’s request interceptors on every attempt and response interceptors once, on the final outcome', async () => {
    const s = await flaky()
    const api = axios.create({ baseURL: s.origin })
    let token = 0
    api.interceptors.request.use((config) => {
      config.headers.set('authorization', `Bearer ${++token}`)
      return config
    })
    const { policy } = virtualPolicy({ budget: null })
    installRedress(api, { policy })
    const seenByResponse: number[] = []
    api.interceptors.response.use((response) => {
      seenByResponse.push(response.status)
      return response.data as unknown as typeof response
    })
    const data: unknown = await api.get('/f')
    expect(data).toBe('ok')
    expect(s.requests.map((r) => r.headers.authorization)).toEqual(['Bearer 1', 'Bearer 2'])
    expect(seenByResponse).toEqual([200])
  })

  it('sends a retry with the original method, URL, params, headers and data', async () => {
    const s = await flaky()
    const api = axios.create({ baseURL: s.origin })
    installRedress(api, { policy: virtualPolicy({ budget: null }).policy })
    await api.put('/g', { x: 1 }, { params: { q: 'a b' }, headers: { 'x-trace': 't1' } })
    const [first, second] = s.requests
    expect(second).toMatchObject({ method: first?.method, url: first?.url, body: first?.body })
    expect(second?.headers['x-trace']).toBe('t1')
    expect(second?.headers['content-type']).toBe(first?.headers['content-type'])
    expect(first?.body).toBe('{"x":1}')
  })

  it('throws at installation on a bad option or instance, naming it', () => {
    expect(() => installRedress(axios.create(), { maxRetryAfterMs: -1 })).toThrow(/maxRetryAfterMs/)
    expect(() => installRedress(axios.create(), { nope: 1 } as never)).toThrow(/nope/)
    expect(() => installRedress({} as never)).toThrow(TypeError)
    expect(() => installRedress(axios.create(), { policy: httpPolicy() })).not.toThrow()
  })
})
