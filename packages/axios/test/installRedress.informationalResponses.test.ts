import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { httpPolicy } from '@redress/core/http'
import { FakeClock } from '@redress/core/testing'
import { virtualPolicy } from '@redress/test-support'
import axios from 'axios'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { installRedress } from '../src/installRedress.ts'

// Issue 14, defect 1 (found on undici): a 1xx before the final response must be ignored or passed
// on exactly as the client alone does, and must not count as the attempt's response. axios's
// transports (Node's http, Node's fetch) skip a 103 themselves; these keep it that way.

const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

interface HintsServer {
  readonly origin: string
  readonly requests: number
  readonly openSockets: number
}

/** A `node:http` server on 127.0.0.1 that sends `103 Early Hints`, then does what `then` says. */
async function earlyHints(then: (n: number, req: IncomingMessage, res: ServerResponse) => void): Promise<HintsServer> {
  let requests = 0
  const sockets = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    const n = requests
    requests += 1
    res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' }, () => then(n, req, res))
  })
  server.keepAliveTimeout = 60_000
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
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
    get openSockets() {
      return sockets.size
    },
  }
}

function reply(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'content-type': 'text/plain', 'content-length': String(Buffer.byteLength(body)) })
  res.end(body)
}

describe.each(['http', 'fetch'] as const)('installRedress with axios’s %s adapter: a 103 Early Hints', (adapter) => {
  it('hands back the 200 that follows a 103', async () => {
    const s = await earlyHints((_n, _req, res) => reply(res, 200, 'final'))
    const api = axios.create({ baseURL: s.origin, adapter })
    installRedress(api, { policy: virtualPolicy({ budget: null }).policy })
    const res = await api.get('/')
    expect([res.status, res.data]).toEqual([200, 'final'])
    expect(s.requests).toBe(1)
  })

  it('retries a 503 that came after a 103: the final status is the attempt’s response', async () => {
    const s = await earlyHints((n, _req, res) => (n === 0 ? reply(res, 503, 'busy') : reply(res, 200, 'ok')))
    const { policy, sleeps } = virtualPolicy({ budget: null })
    const api = axios.create({ baseURL: s.origin, adapter })
    installRedress(api, { policy })
    expect((await api.get('/')).data).toBe('ok')
    expect(sleeps).toHaveLength(1)
  })

  it('retries when the connection closes after a 103, like any reset before the final head', async () => {
    const s = await earlyHints((n, req, res) => (n === 0 ? req.socket.destroy() : reply(res, 200, 'second')))
    const api = axios.create({ baseURL: s.origin, adapter })
    installRedress(api, { policy: virtualPolicy({ budget: null }).policy })
    expect((await api.get('/')).data).toBe('second')
    expect(s.requests).toBe(2)
  })

  it('aborts an attempt that sends a 103 and then nothing at attemptTimeoutMs, and retries it', async () => {
    const s = await earlyHints((n, _req, res) => n > 0 && reply(res, 200, 'late'))
    const clock = new FakeClock()
    const api = axios.create({ baseURL: s.origin, adapter })
    installRedress(api, { policy: httpPolicy({ budget: null, clock, random: () => 0, attemptTimeoutMs: 5_000 }) })
    const pending = api.get('/')
    await vi.waitFor(() => expect(s.requests).toBe(1))
    // Past the attempt timeout, then past the first backoff sleep (at most 750 ms).
    await clock.advance(5_000)
    await vi.waitFor(async () => {
      await clock.advance(1_000)
      expect(s.requests).toBe(2)
    })
    expect((await pending).data).toBe('late')
  })
})
