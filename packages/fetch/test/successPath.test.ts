import { createServer } from 'node:http'
import { httpPolicy } from '@redress/core/http'
import { countSignalsAndTimers, listenLoopback } from '@redress/test-support'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { redressFetch } from '../src/redressFetch.ts'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  for (const close of closers.splice(0)) await close()
})

/** What `n` sequential first-try successes through `send` cost: constructions and calls counted while they run. */
async function successesCost(send: typeof fetch, url: string, n: number) {
  const counts = countSignalsAndTimers()
  // `new Promise` anywhere (redress's own promises; not those of `then` or async functions). The
  // statics (`Promise.resolve` …) run on the real constructor, as without the stub: called on the
  // proxy, `Promise.resolve(promise)` would make a new promise rather than return its argument.
  let promises = 0
  const statics = new Map<PropertyKey, unknown>()
  vi.stubGlobal(
    'Promise',
    new Proxy(Promise, {
      construct(target, args) {
        promises++
        return Reflect.construct(target, args)
      },
      get(target, key) {
        const value: unknown = Reflect.get(target, key)
        if (typeof value !== 'function') return value
        if (!statics.has(key)) statics.set(key, value.bind(target))
        return statics.get(key)
      },
    }),
  )
  for (let i = 0; i < n; i++) expect(await (await send(url)).text()).toBe('ok')
  const cost = {
    promises,
    abortControllers: counts.abortControllers,
    staticSignals: counts.staticSignals,
    setTimeoutCalls: counts.setTimeoutCalls,
  }
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  return cost
}

/** What `n` first-try successes through `send` cost above the same through `fake` itself (promises counted above it). */
async function costAbove(fake: typeof fetch, send: typeof fetch, n: number) {
  const raw = await successesCost(fake, 'https://example.test/ok', n)
  const inRedress = await successesCost(send, 'https://example.test/ok', n)
  return { ...inRedress, promises: inRedress.promises - raw.promises }
}

describe('redressFetch: the success path', () => {
  it("gives each attempt through a fetch that is not Node's one AbortController (the deadline cuts it), one promise and no timer", async () => {
    const inits: Array<RequestInit | undefined> = []
    const fake: typeof fetch = async (_input, init) => {
      inits.push(init)
      return new Response('ok')
    }
    expect(await costAbove(fake, redressFetch({ fetch: fake }), 20)).toEqual({
      // The caller's, which the run settles at the deadline even if fetch never answers.
      promises: 20,
      abortControllers: 20,
      staticSignals: 0,
      setTimeoutCalls: 0,
    })
    expect(inits).toHaveLength(40)
    expect(inits.slice(20).every((init) => init?.signal instanceof AbortSignal)).toBe(true)
  })

  it("passes the caller's init as it is, with no AbortController, no promise of its own and no timer, when the policy cuts no attempt", async () => {
    const inits: Array<RequestInit | undefined> = []
    const fake: typeof fetch = async (_input, init) => {
      inits.push(init)
      return new Response('ok')
    }
    const send = redressFetch({ fetch: fake, policy: httpPolicy({ deadlineMs: Infinity }) })
    expect(await costAbove(fake, send, 20)).toEqual({
      // Nothing can end the run before fetch answers: the caller's promise is the reaction to fetch's.
      promises: 0,
      abortControllers: 0,
      staticSignals: 0,
      setTimeoutCalls: 0,
    })
    const init = { headers: { accept: 'text/plain' } }
    await send('https://example.test/ok', init)
    expect(inits).toHaveLength(41)
    expect(inits.slice(0, 40).every((given) => given === undefined)).toBe(true)
    expect(inits[40]).toBe(init)
  })

  it("adds no AbortController and at most one shared timer to Node's own fetch, however many requests", async () => {
    const server = createServer((_request, response) => response.end('ok'))
    const loopback = await listenLoopback(server, 'successPath.test')
    closers.push(() => loopback.close())
    const url = `${loopback.origin}/ok`
    // Node makes its global dispatcher on its first fetch.
    await (await fetch(url)).text()
    const send = redressFetch()
    await (await send(url)).text()
    const raw20 = await successesCost(globalThis.fetch, url, 20)
    const raw40 = await successesCost(globalThis.fetch, url, 40)
    const redress20 = await successesCost(send, url, 20)
    const redress40 = await successesCost(send, url, 40)
    // Node's fetch makes an AbortController of its own per request (whether it sees the global one
    // or not): redress adds none.
    expect(redress20.abortControllers).toBe(raw20.abortControllers)
    expect(redress40.abortControllers).toBe(raw40.abortControllers)
    expect(redress20.staticSignals + redress40.staticSignals).toBe(0)
    // The attempts outlive a macrotask, so the deadline is armed: in the policy's one deadline
    // queue, whose single timer does not grow with the number of requests.
    const added20 = redress20.setTimeoutCalls - raw20.setTimeoutCalls
    const added40 = redress40.setTimeoutCalls - raw40.setTimeoutCalls
    expect(added40).toBe(added20)
    expect(added20).toBeLessThanOrEqual(1)
  })
})
