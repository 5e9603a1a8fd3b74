import { createServer } from 'node:http'
import { listenLoopback, virtualPolicy } from '@redress/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { isNodeFetch } from '../src/nodeFetchDispatcher.ts'
import { redressFetch } from '../src/redressFetch.ts'

const closers: Array<() => Promise<void>> = []

/** The part of an undici dispatcher Node's fetch calls. */
interface DispatcherLike {
  dispatch(opts: object, handler: object): boolean
}

// Where Node's fetch keeps its global dispatcher (what undici's setGlobalDispatcher sets).
const GLOBAL_DISPATCHER = Symbol.for('undici.globalDispatcher.1')
const slots = globalThis as unknown as Record<symbol, DispatcherLike | undefined>

/** Node's global dispatcher (made by its first fetch). */
function globalDispatcher(): DispatcherLike {
  const d = slots[GLOBAL_DISPATCHER]
  if (d === undefined) throw new Error('no global dispatcher yet')
  return d
}

/** A dispatcher that records each request's path and hands it to `inner`. */
function recording(inner: DispatcherLike, paths: string[]): DispatcherLike {
  return {
    dispatch(opts, handler) {
      paths.push(String((opts as { path?: unknown }).path))
      return inner.dispatch(opts, handler)
    },
  }
}
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

  it('routes each attempt through the global dispatcher in place at the call, and leaves it in place', async () => {
    let release: (() => void) | undefined
    const server = createServer((request, response) => {
      if (request.url !== '/held') {
        response.end('ok')
        return
      }
      release = () => response.end('late')
      loopback.changed()
    })
    const loopback = await listenLoopback(server, 'nodeFetchDispatcher.test')
    closers.push(() => loopback.close())
    // Node makes its global dispatcher on its first fetch.
    await (await fetch(`${loopback.origin}/warm`)).text()
    const real = globalDispatcher()
    const paths: string[] = []
    const recorder = recording(real, paths)
    slots[GLOBAL_DISPATCHER] = recorder
    try {
      const send = redressFetch({ policy: virtualPolicy({ attemptTimeoutMs: 60_000 }).policy })
      expect(await (await send(`${loopback.origin}/a`)).text()).toBe('ok')
      expect(await (await send(new URL(`${loopback.origin}/b`))).text()).toBe('ok')
      // While an attempt is in flight, the global dispatcher is the caller's, not redress's.
      const held = send(`${loopback.origin}/held`)
      await loopback.until(() => release !== undefined)
      expect(slots[GLOBAL_DISPATCHER]).toBe(recorder)
      release?.()
      expect(await (await held).text()).toBe('late')
      expect(paths).toEqual(['/a', '/b', '/held'])
      expect(slots[GLOBAL_DISPATCHER]).toBe(recorder)
    } finally {
      slots[GLOBAL_DISPATCHER] = real
    }
  })

  it("routes an attempt through the caller's own init.dispatcher", async () => {
    const server = createServer((_request, response) => response.end('ok'))
    const loopback = await listenLoopback(server, 'nodeFetchDispatcher.test')
    closers.push(() => loopback.close())
    await (await fetch(`${loopback.origin}/warm`)).text()
    const paths: string[] = []
    const own = recording(globalDispatcher(), paths)
    const send = redressFetch({ policy: virtualPolicy({ attemptTimeoutMs: 60_000 }).policy })
    const init = { dispatcher: own } as RequestInit
    expect(await (await send(`${loopback.origin}/own`, init)).text()).toBe('ok')
    expect(paths).toEqual(['/own'])
  })

  it("hands Node's fetch the caller's own init, not a copy with a dispatcher added", async () => {
    const server = createServer((_request, response) => response.end('ok'))
    const loopback = await listenLoopback(server, 'nodeFetchDispatcher.test')
    closers.push(() => loopback.close())
    await (await fetch(`${loopback.origin}/warm`)).text()
    // Copying an init ({ ...init }) lists its keys; fetch itself reads the members it knows by name.
    let listed = 0
    const init = new Proxy<RequestInit>(
      { headers: { accept: 'text/plain' } },
      {
        ownKeys(target) {
          listed++
          return Reflect.ownKeys(target)
        },
      },
    )
    const send = redressFetch({ policy: virtualPolicy({ attemptTimeoutMs: 60_000 }).policy })
    expect(await (await send(`${loopback.origin}/plain`, init)).text()).toBe('ok')
    expect(listed).toBe(0)
  })
})
