import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { getEventListeners, setMaxListeners } from 'node:events'
import type { Socket } from 'node:net'
import { rangeServers, seededBytes, sha256, startHeldServer, warningsDuring } from '@redress/test-support'
import { type Dispatcher, request } from 'undici'
import { describe, expect, it } from 'vitest'
import { trackedAgents } from './support/agents.ts'

// CI's Node 22 + undici 8 job printed "MaxListenersExceededWarning: 11 close listeners added to
// [Socket]". Its trace pointed at the range server of test-support (a `close` listener on the
// server's socket per request, so a kept-alive connection that served ten requests warned),
// not at redress: redress puts no listener on a socket, and one on a caller's signal per signal,
// removed as the last run using it ends. These tests hold both sides to that over many requests
// on one connection, with a retry in every request.

const tracked = trackedAgents()
const serve = rangeServers()

/** One connection per origin, so every attempt of every request reuses the same socket. */
function redressed(): Dispatcher {
  return tracked.redressed({ connections: 1 })
}

/** One turn of the event loop: what is closed on the next tick is closed by then. */
function afterATurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}

type ListenerCounts = Record<string, number>

function listenerCounts(socket: Socket): ListenerCounts {
  return Object.fromEntries(socket.eventNames().map((name) => [String(name), socket.listenerCount(name)]))
}

/** The client sockets undici sent each request's headers on (one entry per attempt), while `run` goes on. */
async function socketsUsedDuring(run: (sockets: Socket[]) => Promise<void>): Promise<Socket[]> {
  const sockets: Socket[] = []
  const onSendHeaders = (message: unknown): void => {
    sockets.push((message as { socket: Socket }).socket)
  }
  subscribe('undici:client:sendHeaders', onSendHeaders)
  try {
    await run(sockets)
  } finally {
    unsubscribe('undici:client:sendHeaders', onSendHeaders)
  }
  return sockets
}

describe('redressInterceptor: many requests on one kept-alive connection', () => {
  it('30 sequential requests, each retried once after a 503, leave the socket and the caller signal with the listeners they started with, and print no warning', async () => {
    const n = 30
    // Each request's first attempt gets a 503, its retry a 200: 2n requests in all.
    const s = await startHeldServer((held) => held.respond(held.index % 2 === 0 ? 503 : 200, `answer ${held.index}`))
    tracked.closers.push(() => s.close())
    const dispatcher = redressed()
    const controller = new AbortController()
    // Node 22 gives an AbortSignal no listener limit; 10, as on Node 20, makes a leak warn on both.
    setMaxListeners(10, controller.signal)
    const after: ListenerCounts[] = []
    const signalListeners: number[] = []
    const statuses: number[] = []
    const warnings = await warningsDuring(async () => {
      const sockets = await socketsUsedDuring(async (used) => {
        for (let i = 0; i < n; i++) {
          const res = await request(`${s.origin}/${i}`, { dispatcher, signal: controller.signal })
          statuses.push(res.statusCode)
          await res.body.text()
          // undici's request() drops its own listener as the body closes, a tick after text().
          await afterATurn()
          const socket = used.at(-1)
          if (socket !== undefined) after.push(listenerCounts(socket))
          signalListeners.push(getEventListeners(controller.signal, 'abort').length)
        }
      })
      expect(sockets).toHaveLength(2 * n)
      expect(new Set(sockets).size).toBe(1)
    })
    expect(warnings).toEqual([])
    expect(statuses).toEqual(Array.from({ length: n }, () => 200))
    expect(s.requests).toHaveLength(2 * n)
    expect(s.totalSockets).toBe(1)
    // What undici keeps on its idle socket after the first request, it keeps after every other.
    expect(after).toHaveLength(n)
    for (const counts of after) expect(counts).toEqual(after[0])
    expect(signalListeners).toEqual(Array.from({ length: n }, () => 0))
  })

  it('30 sequential resumable downloads from the range server print no warning and leave the socket as they found it', async () => {
    const n = 30
    const body = seededBytes(64 * 1024, 41)
    // The first request of each pair is answered 503, so every download is retried once.
    const server = await serve({ body, script: (index) => (index % 2 === 0 ? { status: 503 } : undefined) })
    const dispatcher = redressed()
    const after: ListenerCounts[] = []
    const digests: string[] = []
    const warnings = await warningsDuring(async () => {
      const sockets = await socketsUsedDuring(async (used) => {
        for (let i = 0; i < n; i++) {
          const res = await request(`${server.origin}/file.bin`, { dispatcher })
          digests.push(sha256(Buffer.from(await res.body.arrayBuffer())))
          await afterATurn()
          const socket = used.at(-1)
          if (socket !== undefined) after.push(listenerCounts(socket))
        }
      })
      expect(new Set(sockets).size).toBe(1)
    })
    expect(warnings).toEqual([])
    expect(digests).toEqual(Array.from({ length: n }, () => sha256(body)))
    expect(server.requests).toHaveLength(2 * n)
    expect(server.totalSockets).toBe(1)
    for (const counts of after) expect(counts).toEqual(after[0])
  })
})
