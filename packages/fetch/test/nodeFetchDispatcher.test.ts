import { createServer } from 'node:http'
import { listenLoopback, virtualPolicy } from '@redress/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { isNodeFetch } from '../src/nodeFetchDispatcher.ts'
import { redressFetch } from '../src/redressFetch.ts'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const close of closers.splice(0)) await close()
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
    // /slow… hangs (the test watches their sockets); anything else is answered at once.
    const hung = new Map<string | undefined, { closed: boolean }>()
    const server = createServer((request, response) => {
      if (request.url?.startsWith('/slow') !== true) {
        response.end('ok')
        return
      }
      const entry = { closed: false }
      hung.set(request.url, entry)
      request.socket.once('close', () => {
        entry.closed = true
        loopback.changed()
      })
      loopback.changed()
    })
    const loopback = await listenLoopback(server, 'nodeFetchDispatcher.test')
    closers.push(() => loopback.close())
    const { origin } = loopback
    // Node makes its global dispatcher on its first fetch.
    await (await fetch(`${origin}/warm`)).text()

    /** One request timed out by the engine; the AbortSignals made meanwhile. */
    const timedOut = async (path: string, fetchFn?: typeof fetch): Promise<number> => {
      const { clock, policy } = virtualPolicy({ attemptTimeoutMs: 1_000, maxAttempts: 1 })
      let failure: unknown
      const made = await countSignals(async () => {
        const send = redressFetch(fetchFn === undefined ? { policy } : { policy, fetch: fetchFn })
        const pending = send(`${origin}${path}`).catch((error: unknown) => error)
        await loopback.until(() => hung.has(path))
        await clock.until(() => clock.pendingDueTimes.includes(1_000))
        expect(clock.pendingDueTimes).toEqual([1_000])
        await clock.advance(1_000)
        failure = await pending
      })
      expect(failure).toMatchObject({ name: 'TimeoutError' })
      // the request was aborted, so undici closed its socket
      await loopback.until(() => hung.get(path)?.closed === true)
      return made
    }
    // The same request through a fetch redress does not recognise takes the signal path.
    const throughSignal = await timedOut('/slow-signal', (input, init) => fetch(input, init))
    const throughDispatcher = await timedOut('/slow-dispatcher')
    // The signal path makes the attempt's own signal (and Node's fetch one more to follow it);
    // the dispatcher path makes neither.
    expect(throughDispatcher).toBeLessThan(throughSignal)
  })
})
