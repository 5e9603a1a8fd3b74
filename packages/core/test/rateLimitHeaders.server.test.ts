/**
 * The server's rate-limit delay, end to end: a real node:http server on 127.0.0.1 answers a 429
 * (or 503) with rate-limit fields, then a 200; Node's fetch sends each attempt through the shared
 * HTTP adapter runner, on a policy whose backoff sleeps are recorded on a FakeClock (random 0: the server delay unjittered).
 * Regression tests for issue 14, defects 9 and 10.
 */
import { createServer, type OutgoingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createHttpAdapter } from '../src/adapter/index.ts'
import { httpPolicy } from '../src/http/index.ts'
import { FakeClock } from '../src/testing/index.ts'

interface Step {
  readonly status: number
  readonly headers?: OutgoingHttpHeaders
}

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (server) =>
        new Promise<void>((resolve) => {
          server.closeAllConnections()
          server.close(() => resolve())
        }),
    ),
  )
})

/** Answers the n-th request with `steps[n]` (the last repeats); resolves with its origin and request count. */
async function startServer(steps: readonly Step[]): Promise<{ origin: string; requests: () => number }> {
  let requests = 0
  const server = createServer((req, res) => {
    const step = steps[Math.min(requests++, steps.length - 1)] as Step
    req.resume()
    res.writeHead(step.status, step.headers).end(step.status === 200 ? 'ok' : 'slow down')
  })
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { origin: `http://127.0.0.1:${port}`, requests: () => requests }
}

/** GETs `url` through the adapter runner; resolves with the final status and the backoff sleeps asked for. */
async function get(url: string): Promise<{ status: number; sleeps: number[] }> {
  const clock = new FakeClock()
  const sleeps: number[] = []
  const policy = httpPolicy({
    clock,
    random: () => 0,
    maxAttempts: 3,
    sleeper: async (ms) => {
      sleeps.push(ms)
      await clock.advance(ms)
    },
  })
  const adapter = createHttpAdapter({ policy }, 'test')
  const request = { method: 'GET', url, headers: undefined, oneShotBody: false, redress: undefined, signal: undefined }
  const response = await adapter.run(request, () => fetch(url), {
    release: (discarded) => void (discarded as Response).body?.cancel().catch(() => undefined),
  })
  await response.text()
  return { status: response.status, sleeps }
}

describe('rate-limit fields from a real server', () => {
  it('waits the RateLimit-Reset of a 429 that gives no remaining count, then retries once', async () => {
    const server = await startServer([{ status: 429, headers: { 'RateLimit-Reset': '7' } }, { status: 200 }])
    expect(await get(`${server.origin}/quota`)).toEqual({ status: 200, sleeps: [7_000] })
    expect(server.requests()).toBe(2)
  })

  it('waits the t of a RateLimit item with no r on a 429', async () => {
    const server = await startServer([{ status: 429, headers: { RateLimit: '"default";t=4' } }, { status: 200 }])
    expect(await get(`${server.origin}/quota`)).toEqual({ status: 200, sleeps: [4_000] })
  })

  it('does not take a lone RateLimit-Reset on a 503 for the server delay', async () => {
    const server = await startServer([{ status: 503, headers: { 'RateLimit-Reset': '7' } }, { status: 200 }])
    const { status, sleeps } = await get(`${server.origin}/quota`)
    expect(status).toBe(200)
    expect(sleeps).toHaveLength(1)
    expect(sleeps[0]).toBeLessThan(7_000)
  })

  it('reads an exhausted RateLimit quota whose item carries a date and a display string', async () => {
    const rateLimit = '"default";r=0;t=5;x-reset-at=@1767225630;x-note=%"d%c3%a9pass%c3%a9", @1767225630'
    const server = await startServer([{ status: 429, headers: { RateLimit: rateLimit } }, { status: 200 }])
    expect(await get(`${server.origin}/quota`)).toEqual({ status: 200, sleeps: [5_000] })
  })
})
