import type { RetryPolicy } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { type FaultServer, startFaultServer } from '@redress/test-support'
import { Agent, Client, type Dispatcher, fetch, getGlobalDispatcher, request, setGlobalDispatcher } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { redressInterceptor } from '../src/redressInterceptor.ts'

const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

const REQUESTS = 200

/** Every path fails twice with a 503 (with a body), then answers 200 with the path. */
async function flakyServer(): Promise<FaultServer> {
  const seen = new Map<string, number>()
  const s = await startFaultServer((_index, req) => {
    const n = (seen.get(req.url) ?? 0) + 1
    seen.set(req.url, n)
    return n <= 2 ? { status: 503, body: 'busy' } : { status: 200, body: req.url }
  })
  closers.push(() => s.close())
  return s
}

function instantPolicy(): RetryPolicy {
  // Backoff sleeps are skipped (virtual time); no budget, which would rightly throttle a
  // scenario where every request fails twice.
  return httpPolicy({ budget: null, sleeper: async () => {} })
}

/** An Agent of at most 2 connections per origin with the interceptor composed on it. */
function composedAgent(): Dispatcher {
  const agent = new Agent({ connections: 2 })
  closers.push(() => agent.close())
  return agent.compose(redressInterceptor({ policy: instantPolicy() }))
}

async function runAll(call: (path: string) => Promise<string>): Promise<string[]> {
  return Promise.all(Array.from({ length: REQUESTS }, (_, i) => call(`/item/${i}`)))
}

const expected = Array.from({ length: REQUESTS }, (_, i) => `200 /item/${i}`)

describe('the same flaky scenario through each client API', () => {
  it('completes through undici.request', async () => {
    const s = await flakyServer()
    const dispatcher = composedAgent()
    const got = await runAll(async (path) => {
      const res = await request(`${s.origin}${path}`, { dispatcher })
      return `${res.statusCode} ${await res.body.text()}`
    })
    expect(got).toEqual(expected)
    expect(s.requests).toHaveLength(3 * REQUESTS)
    expect(s.maxOpenSockets).toBeLessThanOrEqual(2)
  })

  it('completes through undici.fetch', async () => {
    const s = await flakyServer()
    const dispatcher = composedAgent()
    const got = await runAll(async (path) => {
      const res = await fetch(`${s.origin}${path}`, { dispatcher })
      return `${res.status} ${await res.text()}`
    })
    expect(got).toEqual(expected)
    expect(s.requests).toHaveLength(3 * REQUESTS)
    expect(s.maxOpenSockets).toBeLessThanOrEqual(2)
  })

  it("completes through Node's built-in fetch with the global dispatcher set", async () => {
    const s = await flakyServer()
    const previous = getGlobalDispatcher()
    setGlobalDispatcher(composedAgent())
    closers.push(async () => setGlobalDispatcher(previous))
    const got = await runAll(async (path) => {
      const res = await globalThis.fetch(`${s.origin}${path}`)
      return `${res.status} ${await res.text()}`
    })
    expect(got).toEqual(expected)
    expect(s.requests).toHaveLength(3 * REQUESTS)
    expect(s.maxOpenSockets).toBeLessThanOrEqual(2)
  })

  it('hands the last 503 to fetch with its body when the attempts run out', async () => {
    const s = await startFaultServer(() => ({ status: 503, headers: { 'content-type': 'text/plain' }, body: 'down' }))
    closers.push(() => s.close())
    const res = await fetch(s.origin, { dispatcher: composedAgent() })
    expect(res.status).toBe(503)
    expect(res.headers.get('content-type')).toBe('text/plain')
    expect(await res.text()).toBe('down')
    expect(s.requests).toHaveLength(3)
  })

  it('aborts undici.fetch during a backoff sleep with the signal', async () => {
    const s = await startFaultServer(() => ({ status: 503, headers: { 'retry-after': '30' } }))
    closers.push(() => s.close())
    let sleeping: () => void = () => {}
    const asleep = new Promise<void>((resolve) => {
      sleeping = resolve
    })
    const policy = httpPolicy({
      budget: null,
      sleeper: (_ms, signal) =>
        new Promise<void>((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason), { once: true })
          sleeping()
        }),
    })
    const agent = new Agent()
    closers.push(() => agent.close())
    const controller = new AbortController()
    const pending = fetch(s.origin, {
      dispatcher: agent.compose(redressInterceptor({ policy })),
      signal: controller.signal,
    })
    await asleep
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
    expect(s.requests).toHaveLength(1)
  })

  it('works composed on a Client, tagging the host undici hands it (none on undici 7)', async () => {
    const s = await flakyServer()
    const hosts = new Set<unknown>()
    const policy = httpPolicy({
      budget: null,
      sleeper: async () => {},
      onMetric: (_event, _attempt, _sleep, tags) => hosts.add(tags.host),
    })
    const client = new Client(s.origin)
    closers.push(() => client.close())
    const res = await client.compose(redressInterceptor({ policy })).request({ path: '/x', method: 'GET' })
    expect(await res.body.text()).toBe('/x')
    // undici 8 puts the Client's origin into the dispatch options; undici 7 leaves it out there.
    expect(hosts.size).toBe(1)
    expect([new URL(s.origin).host, 'unknown.invalid']).toContain([...hosts][0])
  })
})
