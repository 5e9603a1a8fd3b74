import type { Readable } from 'node:stream'
import { EventName } from '@redress/core'
import { type FaultServer, type FaultStep, startFaultServer, virtualPolicy } from '@redress/test-support'
import axios, { type AxiosError, type AxiosInstance, isCancel } from 'axios'
import { afterEach, describe, expect, it } from 'vitest'
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

  it('retries when axios’s own timeout is shorter than a slow response', async () => {
    const s = await serve((n) => (n === 0 ? { hang: true } : { status: 200, body: 'late but fine' }))
    const { api } = client(s.origin)
    // axios's own transport times the first attempt out (it hangs: the real 50 ms timer always
    // fires first). The retry goes without the timeout, so it never races the loopback answer on
    // a loaded machine.
    const transport = axios.getAdapter(adapterName)
    const timeouts: unknown[] = []
    const res = await api.get('/slow', {
      timeout: 50,
      adapter: (config) => {
        timeouts.push(config.timeout)
        return transport(timeouts.length === 1 ? config : { ...config, timeout: 0 })
      },
    })
    expect(res.data).toBe('late but fine')
    expect(s.requests).toHaveLength(2)
    // The retry was re-issued with the caller's timeout, which only the test took off.
    expect(timeouts).toEqual([50, 50])
  })

  it('ends the sleep on a legacy CancelToken too, rejecting with the token’s reason', async () => {
    const s = await serve(() => ({ status: 503, headers: { 'retry-after': '30' } }))
    const made = virtualPolicy({ budget: null })
    const api = axios.create({ baseURL: s.origin, adapter: adapterName })
    installRedress(api, { policy: made.policy.with({ sleeper: undefined }) })
    const source = axios.CancelToken.source()
    const pending = api.get('/wait', { cancelToken: source.token }).catch((e: unknown) => e)
    // The Retry-After sleep has begun (while the request is in flight, its deadline timer is pending instead).
    await made.clock.until(() => made.clock.pendingDueTimes.includes(30_000))
    expect(made.clock.pendingDueTimes).toEqual([30_000])
    source.cancel('stop it')
    const error = await pending
    expect(isCancel(error)).toBe(true)
    expect((error as Error).message).toBe('stop it')
    expect(s.requests).toHaveLength(1)
  })
})

describe('request bodies and discarded responses (http adapter)', () => {
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
