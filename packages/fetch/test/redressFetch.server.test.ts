import {
  type FaultScript,
  type FaultServer,
  type FaultStep,
  startFaultServer,
  virtualPolicy,
} from '@redress/test-support'
import { Agent, fetch as undiciFetch } from 'undici'
import { afterEach, describe, expect, it } from 'vitest'
import { redressFetch } from '../src/redressFetch.ts'

const servers: FaultServer[] = []
const agents: Agent[] = []

afterEach(async () => {
  await Promise.all(agents.splice(0).map((agent) => agent.destroy()))
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

async function serve(script: FaultScript): Promise<FaultServer> {
  const server = await startFaultServer(script)
  servers.push(server)
  return server
}

const ok: FaultStep = { status: 200, body: 'ok' }
const unavailable: FaultStep = { status: 503, body: 'unavailable' }

describe('redressFetch against a real node:http server', () => {
  it('aborts an attempt whose headers come later than attemptTimeoutMs, and retries it', async () => {
    const server = await serve([{ hang: true }, ok])
    const { clock, policy, sleeps } = virtualPolicy({ attemptTimeoutMs: 1_000 })
    const pending = redressFetch({ policy })(`${server.origin}/slow`)
    await server.until(() => server.requests.length === 1)
    await clock.until(() => clock.pendingDueTimes.includes(1_000))
    expect(clock.pendingDueTimes).toEqual([1_000])
    await clock.advance(1_000)
    const response = await pending
    expect(response.status).toBe(200)
    expect(server.requests).toHaveLength(2)
    expect(sleeps).toHaveLength(1)
  })

  it('sends a Request whose body is a stream once with maxBufferedRequestBodyBytes: 0', async () => {
    const server = await serve([unavailable, ok])
    const { policy } = virtualPolicy()
    const request = new Request(`${server.origin}/r`, {
      method: 'PUT',
      body: new Blob(['from a request']).stream(),
      duplex: 'half',
    } as RequestInit)
    const response = await redressFetch({ policy, maxBufferedRequestBodyBytes: 0 })(request)
    expect(response.status).toBe(503)
    expect(server.requests.map((r) => r.body)).toEqual(['from a request'])
  })

  it('sends a Request whose body is longer than maxBufferedRequestBodyBytes once, whole, and does not retry it', async () => {
    const server = await serve([unavailable, ok])
    const { policy } = virtualPolicy()
    const parts = ['aaaa', 'bbbb', 'cccc', 'dddd']
    const request = new Request(`${server.origin}/r`, {
      method: 'PUT',
      body: new Blob(parts).stream(),
      duplex: 'half',
    } as RequestInit)
    const response = await redressFetch({ policy, maxBufferedRequestBodyBytes: 5 })(request)
    expect(response.status).toBe(503)
    expect(server.requests.map((r) => r.body)).toEqual([parts.join('')])
  })

  it('buffers a stream body up to maxBufferedBodyBytes and then re-sends it identically', async () => {
    const server = await serve([unavailable, ok])
    const { policy } = virtualPolicy()
    const body = new Blob(['0123456789']).stream()
    const response = await redressFetch({ policy, maxBufferedBodyBytes: 10 })(`${server.origin}/u`, {
      method: 'PUT',
      body,
    })
    expect(response.status).toBe(200)
    expect(server.requests.map((r) => r.body)).toEqual(['0123456789', '0123456789'])
  })

  it('sends a stream body longer than maxBufferedBodyBytes once, whole, and does not retry it', async () => {
    const server = await serve([unavailable, ok])
    const { policy } = virtualPolicy()
    const parts = ['aaaa', 'bbbb', 'cccc', 'dddd']
    const body = new Blob(parts).stream()
    const response = await redressFetch({ policy, maxBufferedBodyBytes: 5 })(`${server.origin}/u`, {
      method: 'PUT',
      body,
    })
    expect(response.status).toBe(503)
    expect(server.requests.map((r) => r.body)).toEqual([parts.join('')])
  })

  it('buffers the body of a Request input up to 64 KiB by default, and re-sends it', async () => {
    const server = await serve([unavailable, ok])
    const { policy } = virtualPolicy()
    const request = new Request(`${server.origin}/r`, {
      method: 'PUT',
      body: 'payload',
      headers: { 'content-type': 'text/x-test' },
    })
    const response = await redressFetch({ policy })(request)
    expect(response.status).toBe(200)
    expect(server.requests.map((r) => [r.method, r.body, r.headers['content-type']])).toEqual([
      ['PUT', 'payload', 'text/x-test'],
      ['PUT', 'payload', 'text/x-test'],
    ])
  })

  it('aborts the attempt in flight at once, rejecting with the reason, without retrying', async () => {
    const server = await serve([{ hang: true }, ok])
    const { policy } = virtualPolicy()
    const controller = new AbortController()
    const pending = redressFetch({ policy })(`${server.origin}/a`, { signal: controller.signal })
    await server.until(() => server.requests.length === 1)
    const reason = new Error('stop')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    await server.until(() => server.openSockets === 0)
    expect(server.requests).toHaveLength(1)
  })

  it('honours the signal of a Request input', async () => {
    const server = await serve([{ hang: true }, ok])
    const { policy } = virtualPolicy()
    const controller = new AbortController()
    const pending = redressFetch({ policy })(new Request(`${server.origin}/a`, { signal: controller.signal }))
    await server.until(() => server.requests.length === 1)
    controller.abort('bye')
    await expect(pending).rejects.toBe('bye')
    expect(server.requests).toHaveLength(1)
  })

  it('cancels a large discarded body rather than reading it, and still completes', async () => {
    const server = await serve([{ status: 503, body: 'y'.repeat(1024 * 1024) }, ok])
    const agent = new Agent({ connections: 1 })
    agents.push(agent)
    const { policy } = virtualPolicy()
    const wrapped = redressFetch({
      policy,
      fetch: ((input: RequestInfo | URL, init?: RequestInit) =>
        undiciFetch(input as string, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch,
    })
    const response = await wrapped(`${server.origin}/big`)
    expect(await response.text()).toBe('ok')
    expect(server.requests).toHaveLength(2)
  })
})
