import { createServer, Agent as HttpAgent, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import type { Readable } from 'node:stream'
import { httpPolicy } from '@redress/core/http'
import { FakeClock } from '@redress/core/testing'
import { virtualPolicy } from '@redress/test-support'
import axios from 'axios'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { installRedress } from '../src/installRedress.ts'

// Issue 14, defect 2: a discarded response whose body trickles must not hold its connection
// until the deadline, so that with one connection the retry still reaches the server. axios
// hands redress a response only once axios has read its body, unless `responseType: 'stream'`;
// a discarded stream is destroyed (http adapter) or cancelled (fetch adapter), never drained.

const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

interface TrickleServer {
  readonly origin: string
  /** Requests received. */
  readonly requests: number
  /** Sockets accepted since the start. */
  readonly totalSockets: number
  /** Sockets open right now. */
  readonly openSockets: number
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
  let total = 0
  let trickleClosed = false
  const sockets = new Set<Socket>()
  const server: Server = createServer((_req, res: ServerResponse) => {
    requests += 1
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
    })
  })
  server.keepAliveTimeout = 60_000
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    total += 1
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  )
  return {
    origin: `http://127.0.0.1:${address.port}`,
    get requests() {
      return requests
    },
    get totalSockets() {
      return total
    },
    get openSockets() {
      return sockets.size
    },
    get trickleClosed() {
      return trickleClosed
    },
  }
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
    await vi.waitFor(() => expect(s.openSockets).toBe(1))
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
      await vi.waitFor(() => expect(s.trickleClosed).toBe(true))
    },
  )

  it('bounds a trickling body axios reads itself by attemptTimeoutMs, and retries on a fresh socket', async () => {
    const s = await trickleThenOk()
    const clock = new FakeClock()
    const policy = httpPolicy({ budget: null, clock, random: () => 0, attemptTimeoutMs: 5_000 })
    const api = axios.create({ baseURL: s.origin, adapter: 'http', httpAgent: oneSocketAgent() })
    installRedress(api, { policy })
    const pending = api.get('/')
    await vi.waitFor(() => expect(s.requests).toBe(1))
    // Past the attempt timeout, then past the first backoff sleep (at most 750 ms).
    await clock.advance(5_000)
    await vi.waitFor(async () => {
      await clock.advance(1_000)
      expect(s.requests).toBe(2)
    })
    expect((await pending).data).toBe('ok')
    expect(s.totalSockets).toBe(2)
    await vi.waitFor(() => expect(s.trickleClosed).toBe(true))
  })
})
