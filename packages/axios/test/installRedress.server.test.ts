import { Readable } from 'node:stream'
import { EventName } from '@redress/core'
import {
  closedPortOrigin,
  type FaultServer,
  type FaultStep,
  startFaultServer,
  virtualPolicy,
} from '@redress/test-support'
import axios, { AxiosError, type AxiosInstance, isCancel } from 'axios'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { installRedress } from '../src/installRedress.ts'

let server: FaultServer | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

async function serve(script: (n: number, url: string) => FaultStep): Promise<FaultServer> {
  server = await startFaultServer((n, request) => script(n, request.url))
  return server
}

describe.each(['http', 'fetch'] as const)('with axios’s %s adapter against a real server', (adapterName) => {
  function client(origin: string, options: Parameters<typeof virtualPolicy>[0] = {}) {
    const made = virtualPolicy({ budget: null, ...options })
    const api: AxiosInstance = axios.create({ baseURL: origin, adapter: adapterName })
    installRedress(api, { policy: made.policy })
    return { api, ...made }
  }

  it('retries a GET whose connection is reset mid-request', async () => {
    const s = await serve((n) => (n === 0 ? { destroy: true } : { status: 200, body: 'fine' }))
    const { api } = client(s.origin)
    expect((await api.get('/reset')).data).toBe('fine')
    expect(s.requests).toHaveLength(2)
  })

  it('retries a refused connection, then rejects with the last AxiosError itself', async () => {
    const errors: unknown[] = []
    const { api } = client(await closedPortOrigin(), {
      onAttemptEnd: (ctx) => errors.push(ctx.error),
    })
    const error: unknown = await api.post('/refused', { a: 1 }).catch((e: unknown) => e)
    // A refused connection proves the server never saw the POST, so even it is retried.
    expect(errors).toHaveLength(3)
    expect(error).toBeInstanceOf(AxiosError)
    expect(error).toBe(errors[2])
    expect(JSON.stringify([(error as AxiosError).code, (error as { cause?: { code?: unknown } }).cause?.code])).toMatch(
      /ECONNREFUSED/,
    )
  })

  it('retries when axios’s own timeout is shorter than a slow response', async () => {
    const s = await serve((n) => (n === 0 ? { hang: true } : { status: 200, body: 'late but fine' }))
    const { api } = client(s.origin)
    const res = await api.get('/slow', { timeout: 50 })
    expect(res.data).toBe('late but fine')
    expect(s.requests).toHaveLength(2)
  })

  it('ends a long Retry-After sleep at once on cancel, with ERR_CANCELED, and sends nothing more', async () => {
    const s = await serve(() => ({ status: 503, headers: { 'retry-after': '30' } }))
    const made = virtualPolicy({ budget: null })
    // No sleeper: the sleep pends on the fake clock, which this test never advances.
    const { clock } = made
    const api = axios.create({ baseURL: s.origin, adapter: adapterName })
    installRedress(api, { policy: made.policy.with({ sleeper: undefined, clock }) })
    const controller = new AbortController()
    const pending = api.get('/wait', { signal: controller.signal }).catch((e: unknown) => e)
    await vi.waitFor(() => expect(clock.pendingCount).toBe(1))
    controller.abort()
    const error = await pending
    expect(isCancel(error)).toBe(true)
    expect((error as AxiosError).code).toBe('ERR_CANCELED')
    expect(s.requests).toHaveLength(1)
    expect(clock.pendingCount).toBe(0)
  })

  it('ends the sleep on a legacy CancelToken too, rejecting with the token’s reason', async () => {
    const s = await serve(() => ({ status: 503, headers: { 'retry-after': '30' } }))
    const made = virtualPolicy({ budget: null })
    const api = axios.create({ baseURL: s.origin, adapter: adapterName })
    installRedress(api, { policy: made.policy.with({ sleeper: undefined }) })
    const source = axios.CancelToken.source()
    const pending = api.get('/wait', { cancelToken: source.token }).catch((e: unknown) => e)
    await vi.waitFor(() => expect(made.clock.pendingCount).toBe(1))
    source.cancel('stop it')
    const error = await pending
    expect(isCancel(error)).toBe(true)
    expect((error as Error).message).toBe('stop it')
    expect(s.requests).toHaveLength(1)
  })

  it('gives 200 concurrent requests exactly their own retries', async () => {
    const failuresOf = (id: number): number => id % 3
    const seen = new Map<number, number>()
    const s = await serve((_n, url) => {
      const id = Number(url.split('/').pop())
      const count = (seen.get(id) ?? 0) + 1
      seen.set(id, count)
      return count <= failuresOf(id) ? { status: 503 } : { status: 200, body: `item ${id}` }
    })
    const { api } = client(s.origin)
    const ids = Array.from({ length: 200 }, (_, i) => i)
    const bodies = await Promise.all(ids.map((id) => api.get(`/item/${id}`).then((r) => r.data as unknown)))
    expect(bodies).toEqual(ids.map((id) => `item ${id}`))
    for (const id of ids) expect(seen.get(id)).toBe(failuresOf(id) + 1)
  })
})

describe('request bodies and discarded responses (http adapter)', () => {
  it('sends a Readable body once and never re-sends it', async () => {
    const s = await serve(() => ({ status: 503 }))
    const { policy } = virtualPolicy({ budget: null })
    const api = axios.create({ baseURL: s.origin, adapter: 'http' })
    installRedress(api, { policy })
    const error: unknown = await api
      .put('/upload', Readable.from(['chunk-1 ', 'chunk-2']), { headers: { 'content-type': 'text/plain' } })
      .catch((e: unknown) => e)
    expect((error as AxiosError).response?.status).toBe(503)
    expect(s.requests.map((r) => r.body)).toEqual(['chunk-1 chunk-2'])
  })

  it('destroys every discarded stream response and hands back the last one unread', async () => {
    const s = await serve((n) => (n < 2 ? { status: 503, body: `no ${n}` } : { status: 200, body: 'yes' }))
    const discarded: Readable[] = []
    const { policy } = virtualPolicy({
      budget: null,
      onAttemptEnd: (ctx) => discarded.push((ctx.error as AxiosError).response?.data as Readable),
    })
    const api = axios.create({ baseURL: s.origin, adapter: 'http', responseType: 'stream' })
    installRedress(api, { policy })
    const res = await api.get('/stream')
    expect(discarded.slice(0, 2).every((stream) => stream.destroyed)).toBe(true)
    const chunks: Buffer[] = []
    for await (const chunk of res.data as Readable) chunks.push(chunk as Buffer)
    expect(Buffer.concat(chunks).toString()).toBe('yes')
  })

  it('counts the first attempt against the policy deadline', async () => {
    const events: string[] = []
    const made = virtualPolicy({ budget: null, deadlineMs: 1_000, onMetric: (event) => events.push(event) })
    // The first attempt takes 900 ms of virtual time: the 250 ms backoff would cross the deadline.
    const s = await serve((n) => {
      if (n === 0) void made.clock.advance(900)
      return { status: 503 }
    })
    const api = axios.create({ baseURL: s.origin, adapter: 'http' })
    installRedress(api, { policy: made.policy })
    const error: unknown = await api.get('/late').catch((e: unknown) => e)
    expect((error as AxiosError).response?.status).toBe(503)
    expect(s.requests).toHaveLength(1)
    expect(events).toEqual([EventName.DEADLINE_EXCEEDED])
  })
})
