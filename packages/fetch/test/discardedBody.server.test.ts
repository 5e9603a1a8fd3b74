import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { type LoopbackServer, listenLoopback, virtualPolicy } from '@redress/test-support'
import { Pool, fetch as undiciFetch } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { redressFetch } from '../src/redressFetch.ts'

// Issue 14, defect 2: a discarded response whose body trickled held its connection until the
// policy deadline, so with a one-connection pool the retry never reached the server. Draining
// is bounded in time (core's DISCARD_DRAIN_MAX_MS, real time) as well as in bytes.

const closers: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

/** Far more body than any test waits for: the trickle stops when the client lets go. */
const TRICKLE_BYTES = 10_000

interface TrickleServer extends LoopbackServer {
  readonly requests: string[]
}

/** The first request gets a 503 whose body trickles a byte every 50 ms; every other one a 200. */
async function trickleServer(headers: Record<string, string>): Promise<TrickleServer> {
  const requests: string[] = []
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    requests.push(request.url ?? '')
    if (requests.length > 1) {
      response.end('ok')
      return
    }
    response.writeHead(503, headers)
    let sent = 0
    const timer = setInterval(() => {
      response.write('x')
      if (++sent === TRICKLE_BYTES) {
        clearInterval(timer)
        response.end()
      }
    }, 50)
    response.on('close', () => clearInterval(timer))
  })
  const loopback = await listenLoopback(server, 'trickleServer')
  closers.push(() => loopback.close())
  return Object.assign(loopback, { requests })
}

function onePool(origin: string): Pool {
  const pool = new Pool(origin, { connections: 1 })
  closers.push(() => pool.destroy())
  return pool
}

const LENGTHS = [
  ['a declared length', { 'content-length': String(TRICKLE_BYTES) }],
  ['no declared length (chunked)', {}],
] as const

describe('redressFetch: a discarded body that trickles', () => {
  it.each(LENGTHS)(
    "is cut in time through Node's fetch on a one-connection pool, so the retry reaches the server (%s)",
    async (_case, headers) => {
      const server = await trickleServer(headers)
      // Virtual time: the policy's deadline never passes by itself, so only the drain's own
      // time bound can free the connection.
      const { policy, sleeps } = virtualPolicy({ budget: null })
      const init = { dispatcher: onePool(server.origin) } as RequestInit
      const response = await redressFetch({ policy })(`${server.origin}/a`, init)
      expect(response.status).toBe(200)
      expect(await response.text()).toBe('ok')
      expect(sleeps).toHaveLength(1)
      expect(server.requests).toHaveLength(2)
      // The trickling body was cut, closing its socket, rather than drained to the end.
      expect(server.totalSockets).toBe(2)
      await server.until(() => server.openSockets === 1)
    },
  )

  it.each(LENGTHS)(
    "is cut in time through undici's fetch (the signal path) on a one-connection pool (%s)",
    async (_case, headers) => {
      const server = await trickleServer(headers)
      const { policy } = virtualPolicy({ budget: null })
      const init = { dispatcher: onePool(server.origin) } as RequestInit
      const send = redressFetch({ policy, fetch: undiciFetch as unknown as typeof fetch })
      const response = await send(`${server.origin}/a`, init)
      expect(response.status).toBe(200)
      expect(await response.text()).toBe('ok')
      expect(server.requests).toHaveLength(2)
      await server.until(() => server.openSockets === 1)
    },
  )
})
