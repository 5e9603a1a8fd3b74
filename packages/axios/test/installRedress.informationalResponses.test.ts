import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type LoopbackServer, listenLoopback, virtualPolicy } from '@redress/test-support'
import axios from 'axios'
import { afterEach, describe, expect, it } from 'vitest'
import { installRedress } from '../src/installRedress.ts'

// Issue 14, defect 1 (found on undici): a 1xx before the final response must be ignored or passed
// on exactly as the client alone does, and must not count as the attempt's response. axios's
// transports (Node's http, Node's fetch) skip a 103 themselves; these keep it that way.

const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

interface HintsServer extends LoopbackServer {
  /** Requests received. */
  readonly requests: number
}

/** A `node:http` server on 127.0.0.1 that sends `103 Early Hints`, then does what `then` says. */
async function earlyHints(then: (n: number, req: IncomingMessage, res: ServerResponse) => void): Promise<HintsServer> {
  let requests = 0
  const server = createServer((req, res) => {
    const n = requests
    requests += 1
    loopback.changed()
    res.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' }, () => then(n, req, res))
  })
  server.keepAliveTimeout = 60_000
  const loopback = await listenLoopback(server, 'earlyHints')
  closers.push(() => loopback.close())
  const own = {
    get requests() {
      return requests
    },
  }
  return Object.defineProperties(loopback, Object.getOwnPropertyDescriptors(own)) as LoopbackServer & typeof own
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
    // The attempt timeout runs on the fake clock; the backoff sleep is recorded and skipped.
    const { clock, policy, sleeps } = virtualPolicy({ budget: null, attemptTimeoutMs: 5_000 })
    const api = axios.create({ baseURL: s.origin, adapter })
    installRedress(api, { policy })
    const pending = api.get('/')
    await s.until(() => s.requests === 1)
    await clock.advance(5_000)
    await s.until(() => s.requests === 2)
    expect(sleeps).toHaveLength(1)
    expect((await pending).data).toBe('late')
  })
})
