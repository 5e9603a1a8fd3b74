import { Writable } from 'node:stream'
import type { RetryPolicy } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { FakeClock } from '@redress/core/testing'
import {
  EARLY_HINTS,
  type RawServer,
  type RawStep,
  response,
  startRawServer,
  virtualPolicy,
} from '@redress/test-support'
import { Agent, type Dispatcher, fetch, getGlobalDispatcher, request, setGlobalDispatcher, stream } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { redressInterceptor } from '../src/redressInterceptor.ts'

// Issue 14, defect 1: a 1xx response before the final one crashed request() with "Cannot read
// properties of null (reading 'push')", ignored the deadline when silence followed it, and was
// not retried when a close followed it. A 1xx (other than 101, which only an upgrade gets) is
// informational: it is passed on as plain undici passes it, and it is not the attempt's response.

const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

async function server(step: RawStep): Promise<RawServer> {
  const s = await startRawServer(step)
  closers.push(() => s.close())
  return s
}

function plainAgent(): Dispatcher {
  const agent = new Agent()
  closers.push(() => agent.close())
  return agent
}

function agentWith(policy: RetryPolicy): Dispatcher {
  return plainAgent().compose(redressInterceptor({ policy }))
}

/** A policy on virtual time whose backoff sleeps are skipped, with no budget. */
function instant(): RetryPolicy {
  return virtualPolicy({ budget: null }).policy
}

interface Seen {
  readonly status: number
  readonly body: string
  readonly info: { statusCode: number; headers: Record<string, unknown> }[]
}

async function requestWithInfo(url: string, dispatcher: Dispatcher): Promise<Seen> {
  const info: Seen['info'] = []
  const res = await request(url, {
    dispatcher,
    onInfo: ({ statusCode, headers }) => info.push({ statusCode, headers }),
  })
  return { status: res.statusCode, body: await res.body.text(), info }
}

describe('redressInterceptor: informational (1xx) responses', () => {
  it('hands request() the 200 after a 103 Early Hints, with the hints on onInfo, as plain undici does', async () => {
    const s = await server((socket) => socket.write(EARLY_HINTS + response(200, 'final')))
    const plain = await requestWithInfo(s.origin, plainAgent())
    const redressed = await requestWithInfo(s.origin, agentWith(instant()))
    expect(plain).toEqual({
      status: 200,
      body: 'final',
      info: [{ statusCode: 103, headers: { link: '</style.css>; rel=preload; as=style' } }],
    })
    expect(redressed).toEqual(plain)
    expect(s.requests).toHaveLength(2)
  })

  it('passes several informational responses on in order before the final one', async () => {
    const processing = 'HTTP/1.1 102 Processing\r\n\r\n'
    const s = await server((socket) => socket.write(processing + EARLY_HINTS + response(200, 'done')))
    const plain = await requestWithInfo(s.origin, plainAgent())
    const redressed = await requestWithInfo(s.origin, agentWith(instant()))
    expect(plain.info.map((i) => i.statusCode)).toEqual([102, 103])
    expect(redressed).toEqual(plain)
  })

  it('reads the body after a 103 through undici.fetch and undici.stream', async () => {
    const s = await server((socket) => socket.write(EARLY_HINTS + response(200, 'body')))
    const dispatcher = agentWith(instant())
    const fetched = await fetch(s.origin, { dispatcher })
    expect(fetched.status).toBe(200)
    expect(await fetched.text()).toBe('body')
    const chunks: Buffer[] = []
    await stream(
      s.origin,
      { dispatcher, method: 'GET' },
      () =>
        new Writable({
          write(chunk: Buffer, _encoding, callback) {
            chunks.push(chunk)
            callback()
          },
        }),
    )
    expect(Buffer.concat(chunks).toString()).toBe('body')
  })

  it("reads the body after a 103 through Node's built-in fetch with the global dispatcher set", async () => {
    const s = await server((socket) => socket.write(EARLY_HINTS + response(200, 'global')))
    const previous = getGlobalDispatcher()
    setGlobalDispatcher(agentWith(instant()))
    closers.push(async () => setGlobalDispatcher(previous))
    // Node's copy of undici pauses on a 1xx through its older handler shape; the final body flows.
    const res = await globalThis.fetch(s.origin)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe('global')
  })

  it('retries a 503 that came after a 103: the final status is the attempt’s response', async () => {
    const s = await server((socket, index) =>
      socket.write(EARLY_HINTS + (index === 0 ? response(503, 'busy') : response(200, 'ok'))),
    )
    const statuses: unknown[] = []
    const { policy } = virtualPolicy({
      budget: null,
      onAttemptEnd: (ctx) => statuses.push((ctx.value as { status?: unknown } | undefined)?.status),
    })
    const seen = await requestWithInfo(s.origin, agentWith(policy))
    expect(seen.status).toBe(200)
    expect(seen.body).toBe('ok')
    expect(statuses).toEqual([503, 200])
    // Each attempt's hints reach the caller as they arrive.
    expect(seen.info.map((i) => i.statusCode)).toEqual([103, 103])
    // The 503's small body was drained: one keep-alive socket served both attempts.
    expect(s.totalSockets).toBe(1)
  })

  it('retries when the connection closes after a 103, like any reset before the final head', async () => {
    const s = await server((socket, index) => {
      if (index === 0) socket.write(EARLY_HINTS, () => socket.destroy())
      else socket.write(response(200, 'second'))
    })
    const seen = await requestWithInfo(s.origin, agentWith(instant()))
    expect(seen.status).toBe(200)
    expect(seen.body).toBe('second')
    expect(s.requests).toHaveLength(2)
  })

  it('aborts an attempt that sends a 103 and then nothing at attemptTimeoutMs, and retries it', async () => {
    const s = await server((socket, index) => socket.write(index === 0 ? EARLY_HINTS : response(200, 'late')))
    // The attempt timeout runs on the fake clock; the backoff sleep is recorded and skipped.
    const { clock, policy, sleeps } = virtualPolicy({ budget: null, attemptTimeoutMs: 5_000 })
    const pending = request(s.origin, { dispatcher: agentWith(policy) })
    await s.until(() => s.requests.length === 1)
    await clock.advance(5_000)
    await s.until(() => s.requests.length === 2)
    expect(sleeps).toHaveLength(1)
    const res = await pending
    expect(res.statusCode).toBe(200)
    expect(await res.body.text()).toBe('late')
    // The silent attempt's socket was closed, not left for undici's 300 s headersTimeout.
    await s.until(() => s.openSockets === 1)
  })

  it('ends at the policy deadline when a 103 is followed by silence, and closes the socket', async () => {
    const s = await server((socket) => socket.write(EARLY_HINTS))
    const clock = new FakeClock()
    const policy = httpPolicy({ budget: null, clock, deadlineMs: 10_000 })
    const pending = request(s.origin, { dispatcher: agentWith(policy) })
    const outcome = pending.then(
      () => 'resolved',
      (error: unknown) => error,
    )
    await s.until(() => s.requests.length === 1)
    await clock.advance(10_000)
    expect(await outcome).toMatchObject({ name: 'TimeoutError' })
    await s.until(() => s.openSockets === 0)
  })

  it('ends the request with the error a handler throws on a 103, as undici does, and sends nothing more', async () => {
    const s = await server((socket) => socket.write(EARLY_HINTS + response(200, 'x')))
    const dispatcher = agentWith(instant())
    const boom = new Error('handler bug')
    const events: string[] = []
    const ended = await new Promise<unknown>((resolve) => {
      dispatcher.dispatch(
        { origin: s.origin, path: '/', method: 'GET' },
        {
          onRequestStart: () => events.push('start'),
          onResponseStart: (_controller, statusCode) => {
            events.push(`response ${statusCode}`)
            throw boom
          },
          onResponseEnd: () => resolve('end'),
          onResponseError: (_controller, error) => resolve(error),
        },
      )
    })
    expect(ended).toBe(boom)
    expect(events).toEqual(['start', 'response 103'])
    expect(s.requests).toHaveLength(1)
  })
})
