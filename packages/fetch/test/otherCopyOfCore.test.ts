import { RetryPolicy } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { type FaultServer, startFaultServer } from '@redress/test-support'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { redressFetch } from '../src/redressFetch.ts'

// Issue 15: an application can hold two copies of @redress/core — the ESM and the CJS build
// (one module imports, another requires), or two installed versions. A policy from either must
// work with this adapter: it is recognised by its Symbol.for brand, not by `instanceof` against
// this copy's class, and the other copy's engine must still classify what this adapter reports.

const servers: FaultServer[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})

/** A fresh module graph: a second copy of @redress/core, with its own classes and tables. */
async function otherCore() {
  vi.resetModules()
  const core = await import('@redress/core')
  const http = await import('@redress/core/http')
  return { core, http }
}

describe('redressFetch with a policy from another copy of @redress/core', () => {
  it('is a different copy, yet its policy passes as a RetryPolicy of this one', async () => {
    const other = await otherCore()
    expect(other.http.httpPolicy).not.toBe(httpPolicy)
    expect(other.core.RetryPolicy).not.toBe(RetryPolicy)
    const policy = other.http.httpPolicy()
    // Not an instance by prototype (what a plain `instanceof` asks) — by brand.
    expect(Function.prototype[Symbol.hasInstance].call(RetryPolicy, policy)).toBe(false)
    expect(policy instanceof RetryPolicy).toBe(true)
    expect(() => redressFetch({ policy })).not.toThrow()
  })

  it("retries a network failure and a 503 with the other copy's engine, classified as its own", async () => {
    const server = await startFaultServer([
      { destroy: true },
      { status: 503, body: 'busy' },
      { status: 200, body: 'ok' },
    ])
    servers.push(server)
    const { http } = await otherCore()
    const retries: Array<[number, unknown]> = []
    const policy = http.httpPolicy({
      sleeper: async () => {},
      onMetric: (event, attempt, _sleepMs, tags) => {
        if (event === 'retry') retries.push([attempt, tags['class']])
      },
    })
    const response = await redressFetch({ policy })(`${server.origin}/flaky`)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('ok')
    expect(server.requests).toHaveLength(3)
    expect(retries).toEqual([
      [1, 'TRANSIENT'],
      [2, 'SERVER_ERROR'],
    ])
  })

  it('still rejects an object that only looks like a policy, naming the option', () => {
    const lookalike = { call: () => Promise.resolve(), execute: () => Promise.resolve() }
    expect(() => redressFetch({ policy: lookalike as never })).toThrow(/policy/)
  })
})
