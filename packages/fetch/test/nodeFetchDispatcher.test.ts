import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { virtualPolicy } from '@redress/test-support'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { isNodeFetch } from '../src/nodeFetchDispatcher.ts'
import { redressFetch } from '../src/redressFetch.ts'

const closers: Array<() => void> = []
afterEach(() => {
  for (const close of closers.splice(0)) close()
})

/** Counts AbortSignals made while `run` goes on (Node makes one per AbortController's signal). */
async function countSignals(run: () => Promise<void>): Promise<number> {
  const Original = globalThis.AbortController
  let n = 0
  globalThis.AbortController = class extends Original {
    override get signal(): AbortSignal {
      n++
      return super.signal
    }
  }
  try {
    await run()
  } finally {
    globalThis.AbortController = Original
  }
  return n
}

describe("redressFetch through Node's own fetch", () => {
  it("recognises Node's fetch, and nothing else, as one that takes a dispatcher", () => {
    expect(isNodeFetch(globalThis.fetch)).toBe(true)
    expect(isNodeFetch(async () => new Response())).toBe(false)
    expect(isNodeFetch(undefined)).toBe(false)
  })

  it('frees the connection of an attempt that overruns attemptTimeoutMs, without an AbortSignal of its own', async () => {
    // Every request hangs; the test watches the socket of the one redress sends.
    const hung: Array<{ url: string | undefined; closed: boolean }> = []
    const server = createServer((request) => {
      const entry = { url: request.url, closed: false }
      hung.push(entry)
      request.socket.once('close', () => {
        entry.closed = true
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    closers.push(() => {
      server.closeAllConnections()
      server.close()
    })
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    // Node makes its global dispatcher on its first fetch.
    await fetch(`${origin}/warm`, { signal: AbortSignal.timeout(20) }).catch(() => {})
    const plain = await countSignals(async () => {
      await fetch(`${origin}/plain`, { signal: AbortSignal.timeout(20) }).catch(() => {})
    })
    const { clock, policy } = virtualPolicy({ attemptTimeoutMs: 1_000, maxAttempts: 1 })
    let failure: unknown
    const made = await countSignals(async () => {
      const pending = redressFetch({ policy })(`${origin}/slow`).catch((error: unknown) => error)
      await vi.waitFor(() => {
        expect(hung.map((h) => h.url)).toContain('/slow')
        expect(clock.pendingDueTimes).toEqual([1_000])
      })
      await clock.advance(1_000)
      failure = await pending
    })
    expect(failure).toMatchObject({ name: 'TimeoutError' })
    // the request was aborted through undici, which closed its socket
    await vi.waitFor(() => expect(hung.find((h) => h.url === '/slow')?.closed).toBe(true))
    // undici's own signals (a plain fetch makes them too) and the one FakeClock's sleep uses for
    // the attempt timeout; none for the attempt itself
    expect(made).toBe(plain + 1)
  })
})
