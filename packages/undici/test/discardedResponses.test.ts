import type { Socket } from 'node:net'
import { type RawServer, type RawStep, response, startRawServer, virtualPolicy } from '@redress/test-support'
import { Pool } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { redressInterceptor } from '../src/redressInterceptor.ts'

// Issue 14, defect 2: a discarded response whose body trickled held its connection until the
// policy deadline, so with a one-connection pool the retry never reached the server. Draining
// is bounded in time (DISCARD_DRAIN_MAX_MS, real time) as well as in bytes.

const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

async function server(step: RawStep): Promise<RawServer> {
  const s = await startRawServer(step)
  closers.push(() => s.close())
  return s
}

/** Writes `head`, then one byte of body every 50 ms until the client closes the socket. */
function trickle(socket: Socket, head: string): void {
  socket.write(head)
  const timer = setInterval(() => socket.write(head.includes('chunked') ? '1\r\nx\r\n' : 'x'), 50)
  socket.on('close', () => clearInterval(timer))
}

/** A pool of one connection with redress on virtual time: the deadline never passes by itself. */
function onePool(origin: string): Pool {
  const pool = new Pool(origin, { connections: 1 })
  closers.push(() => pool.close())
  return pool
}

describe('redressInterceptor: draining a discarded response', () => {
  it('frees the only connection from a 503 whose body trickles, so the retry reaches the server', async () => {
    const s = await server((socket, index) => {
      if (index === 0) trickle(socket, 'HTTP/1.1 503 Busy\r\nContent-Length: 10000\r\n\r\n')
      else socket.write(response(200, 'ok'))
    })
    const { policy, sleeps } = virtualPolicy({ budget: null })
    const dispatcher = onePool(s.origin).compose(redressInterceptor({ policy }))
    const res = await dispatcher.request({ path: '/', method: 'GET' })
    expect(res.statusCode).toBe(200)
    expect(await res.body.text()).toBe('ok')
    expect(sleeps).toHaveLength(1)
    // The trickling body was cut (its socket closed) rather than drained to the end.
    expect(s.totalSockets).toBe(2)
    await s.until(() => s.openSockets === 1)
  })

  it('frees the only connection from a chunked 503 of unknown length that trickles', async () => {
    const s = await server((socket, index) => {
      if (index === 0) trickle(socket, 'HTTP/1.1 503 Busy\r\nTransfer-Encoding: chunked\r\n\r\n')
      else socket.write(response(200, 'ok'))
    })
    const { policy } = virtualPolicy({ budget: null })
    const dispatcher = onePool(s.origin).compose(redressInterceptor({ policy }))
    const res = await dispatcher.request({ path: '/', method: 'GET' })
    expect(await res.body.text()).toBe('ok')
    expect(s.requests).toHaveLength(2)
    await s.until(() => s.openSockets === 1)
  })
})
