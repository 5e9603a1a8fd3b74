import { createServer, Agent as HttpAgent, type ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { type LoopbackServer, listenLoopback, virtualPolicy } from '@redress/test-support'
import axios from 'axios'
import { afterEach, describe, expect, it } from 'vitest'
import { installRedress } from '../src/installRedress.ts'

// Issue 14, defect 2: a discarded response whose body trickles must not hold its connection
// until the deadline, so that with one connection the retry still reaches the server. axios
// hands redress a response only once axios has read its body, unless `responseType: 'stream'`;
// a discarded stream is destroyed (http adapter) or cancelled (fetch adapter), never drained.

const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

interface TrickleServer extends LoopbackServer {
  /** Requests received. */
  readonly requests: number
  /** Whether the 503's connection was closed (its body never ends, so only a client closes it). */
  readonly trickleClosed: boolean
}

/**
 * A `node:http` server on 127.0.0.1: the first request gets a 503 declaring 10 000 bytes and
 * sending one every 50 ms (`trickle`) or one and no more (`stall`) until the client closes the
 * socket; every later request a 200 `ok`.
 */
async function trickleThenOk(body: 'trickle' | 'stall' = 'trickle'): Promise<TrickleServer> {
  let requests = 0
  let trickleClosed = false
  const server = createServer((_req, res: ServerResponse) => {
    requests += 1
    loopback.changed()
    if (requests > 1) {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' })
      res.end('ok')
      return
    }
    res.writeHead(503, { 'content-type': 'text/plain', 'content-length': '10000' })
    res.write('x')
    const timer = setInterval(() => body === 'trickle' && res.write('x'), 50)
    res.on('close', () => {
      clearInterval(timer)
      trickleClosed = true
      loopback.changed()
    })
  })
  server.keepAliveTimeout = 60_000
  const loopback = await listenLoopback(server, 'trickleThenOk')
  closers.push(() => loopback.close())
  const own = {
    get requests() {
      return requests
    },
    get trickleClosed() {
      return trickleClosed
    },
  }
  return Object.defineProperties(loopback, Object.getOwnPropertyDescriptors(own)) as LoopbackServer & typeof own
}

function oneSocketAgent(): HttpAgent {
  const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 })
  closers.push(async () => agent.destroy())
  return agent
}

describe('installRedress: a discarded response whose body trickles', () => {
  it('destroys the discarded stream (http adapter), so a one-socket agent carries the retry', async () => {
    const s = await trickleThenOk()
    const { policy, sleeps } = virtualPolicy({ budget: null })
    const api = axios.create({
      baseURL: s.origin,
      adapter: 'http',
      responseType: 'stream',
      httpAgent: oneSocketAgent(),
    })
    installRedress(api, { policy })
    const res = await api.get('/')
    expect(res.status).toBe(200)
    const chunks: Buffer[] = []
    for await (const chunk of res.data as Readable) chunks.push(chunk as Buffer)
    expect(Buffer.concat(chunks).toString()).toBe('ok')
    expect(sleeps).toHaveLength(1)
    expect(s.requests).toBe(2)
    expect(s.trickleClosed).toBe(true)
    await s.until(() => s.openSockets === 1)
  })

  it.each(['trickle', 'stall'] as const)(
    'cancels a discarded stream whose body %ss (fetch adapter), closing its connection',
    async (body) => {
      const s = await trickleThenOk(body)
      const { policy, sleeps } = virtualPolicy({ budget: null })
      // Node's fetch has no per-request pool size here (that needs undici's Agent): the retry gets
      // a connection of its own, and the trickling one must be closed, not left draining.
      const api = axios.create({ baseURL: s.origin, adapter: 'fetch', responseType: 'stream' })
      installRedress(api, { policy })
      const res = await api.get('/')
      expect(res.status).toBe(200)
      const reader = (res.data as ReadableStream<Uint8Array>).getReader()
      let text = ''
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        text += Buffer.from(read.value).toString()
      }
      expect(text).toBe('ok')
      expect(sleeps).toHaveLength(1)
      expect(s.requests).toBe(2)
      // Node's fetch closes a cancelled body's connection (then may open a spare one of its own).
      await s.until(() => s.trickleClosed)
    },
  )

  it('bounds a trickling body axios reads itself by attemptTimeoutMs, and retries on a fresh socket', async () => {
    const s = await trickleThenOk()
    // The attempt timeout runs on the fake clock; the backoff sleep is recorded and skipped.
    const { clock, policy, sleeps } = virtualPolicy({ budget: null, attemptTimeoutMs: 5_000 })
    const api = axios.create({ baseURL: s.origin, adapter: 'http', httpAgent: oneSocketAgent() })
    installRedress(api, { policy })
    const pending = api.get('/')
    await s.until(() => s.requests === 1)
    await clock.advance(5_000)
    await s.until(() => s.requests === 2)
    expect(sleeps).toHaveLength(1)
    expect((await pending).data).toBe('ok')
    expect(s.totalSockets).toBe(2)
    await s.until(() => s.trickleClosed)
  })
})
