import { getEventListeners, setMaxListeners } from 'node:events'
import { createServer, type ServerResponse } from 'node:http'
import { type LoopbackServer, listenLoopback, virtualPolicy, warningsDuring } from '@redress/test-support'
import { afterEach, describe, expect, it } from 'vitest'
import { redressFetch } from '../src/redressFetch.ts'

// Issues 14 (defect 4) and 15: calls sharing one AbortSignal printed MaxListenersExceededWarning
// (a listener per call on the caller's signal); plain fetch does not.

/**
 * A caller's signal that warns past 10 listeners on every Node version: Node 20 gives each
 * AbortSignal that limit, Node 22 none at all (its signals never warn), so the limit is set
 * explicitly — and the assertions below mean the same on both.
 */
function callerController(): AbortController {
  const controller = new AbortController()
  setMaxListeners(10, controller.signal)
  return controller
}

const closers: Array<() => Promise<unknown>> = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

/**
 * A server that holds the first `n` requests until all `n` have arrived — so the calls are
 * truly concurrent — and answers each of them with `first` (a 503, or nothing: `'hang'`); every
 * later request gets a 200.
 */
async function barrierServer(n: number, first: 503 | 'hang'): Promise<LoopbackServer & { requests: () => number }> {
  const held: ServerResponse[] = []
  let count = 0
  const server = createServer((_request, response) => {
    count += 1
    loopback.changed()
    if (count > n) {
      response.end('ok')
      return
    }
    held.push(response)
    if (held.length === n && first === 503) {
      for (const r of held.splice(0)) r.writeHead(503, { 'content-length': '4' }).end('busy')
    }
  })
  const loopback = await listenLoopback(server, 'barrierServer')
  closers.push(() => loopback.close())
  return Object.assign(loopback, { requests: () => count })
}

const FETCHES = [
  ["Node's fetch", undefined],
  // Any fetch redress does not recognise as Node's takes the signal path.
  ['a wrapped fetch', (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init)],
] as const

describe('redressFetch calls sharing one AbortSignal', () => {
  it('the warning detector sees a MaxListenersExceededWarning (11 listeners on one signal)', async () => {
    const signal = callerController().signal
    const listeners = Array.from({ length: 11 }, () => () => {})
    const seen = await warningsDuring(async () => {
      for (const listener of listeners) signal.addEventListener('abort', listener)
    })
    expect(seen).toContain('MaxListenersExceededWarning')
    for (const listener of listeners) signal.removeEventListener('abort', listener)
  })

  for (const n of [11, 50]) {
    it.each(FETCHES)(
      `${n} concurrent calls through %s, each retried once, print no warning`,
      async (_name, fetchFn) => {
        const server = await barrierServer(n, 503)
        const { policy } = virtualPolicy({ budget: null })
        const send = redressFetch(fetchFn === undefined ? { policy } : { policy, fetch: fetchFn })
        const controller = callerController()
        let statuses: number[] = []
        const seen = await warningsDuring(async () => {
          const responses = await Promise.all(
            Array.from({ length: n }, (_, i) => send(`${server.origin}/${i}`, { signal: controller.signal })),
          )
          statuses = await Promise.all(
            responses.map(async (r) => {
              await r.text()
              return r.status
            }),
          )
        })
        expect(seen).toEqual([])
        expect(statuses).toEqual(Array.from({ length: n }, () => 200))
        expect(server.requests()).toBe(2 * n)
        // The one listener redress put on the shared signal went with the last call. (Node's
        // fetch, given the signal, keeps one of its own per request until the request is
        // garbage-collected, as plain fetch does: only the wrapped fetch's count is redress's.)
        if (fetchFn !== undefined) expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
      },
    )
  }

  it.each(FETCHES)(
    '50 concurrent calls through %s all reject with the reason when the shared signal aborts',
    async (_name, fetchFn) => {
      const n = 50
      const server = await barrierServer(n, 'hang')
      const { policy } = virtualPolicy({ budget: null })
      const send = redressFetch(fetchFn === undefined ? { policy } : { policy, fetch: fetchFn })
      const controller = callerController()
      const reason = new Error('page closed')
      const seen = await warningsDuring(async () => {
        const pending = Array.from({ length: n }, (_, i) =>
          send(`${server.origin}/${i}`, { signal: controller.signal }).catch((error: unknown) => error),
        )
        // Abort once every request has reached the server.
        await server.until(() => server.requests() === n)
        controller.abort(reason)
        const failures = await Promise.all(pending)
        expect(failures.every((failure) => failure === reason)).toBe(true)
      })
      expect(seen).toEqual([])
      expect(server.requests()).toBe(n)
      if (fetchFn !== undefined) expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    },
  )

  it('a lone call uses the caller signal as it is and leaves no listener on it', async () => {
    const server = await barrierServer(1, 503)
    const { policy } = virtualPolicy({ budget: null })
    const controller = callerController()
    const wrapped = (input: RequestInfo | URL, init?: RequestInit) => fetch(input, init)
    const response = await redressFetch({ policy, fetch: wrapped })(`${server.origin}/`, { signal: controller.signal })
    expect(response.status).toBe(200)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })
})
