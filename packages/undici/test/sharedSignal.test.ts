import { EventEmitter, getEventListeners, setMaxListeners } from 'node:events'
import { type HeldServer, startHeldServer, warningsDuring } from '@redress/test-support'
import { type Dispatcher, request } from 'undici'
import { describe, expect, it } from 'vitest'
import { trackedAgents } from './support/agents.ts'

// Issue 14, defect 4, on undici: each run put a listener of its own on the caller's signal, on
// top of the one undici's request() puts there, so 6 concurrent requests sharing one signal
// printed MaxListenersExceededWarning where plain undici prints it only past 10. Runs sharing a
// signal now share one listener on it.

const { closers, agent, redressed } = trackedAgents()

/** A server that holds every request unanswered (the runs end by their abort). */
async function silentServer(): Promise<HeldServer> {
  const s = await startHeldServer()
  closers.push(() => s.close())
  return s
}

/**
 * A caller's signal that warns past 10 listeners on every Node version: Node 20 gives each
 * AbortSignal that limit, Node 22 none (its signals never warn), so it is set explicitly.
 */
function callerController(): AbortController {
  const controller = new AbortController()
  setMaxListeners(10, controller.signal)
  return controller
}

/**
 * Sends `n` concurrent request()s sharing one signal through `dispatcher`. The server holds the
 * first `n` until all have arrived, then answers them with a 503, and any later one with a 200.
 * Resolves with the abort listeners on the signal once the server held all `n`, the statuses,
 * the warnings printed and the requests the server saw.
 */
async function concurrentRequests(
  dispatcher: Dispatcher,
  n: number,
): Promise<{ listeners: number; statuses: number[]; warnings: string[]; requests: number }> {
  const controller = callerController()
  let listeners = -1
  let statuses: number[] = []
  // The count is taken as the n-th request arrives, before the server answers any of them.
  const s = await startHeldServer((request) => {
    if (request.index >= n) return request.respond(200, 'ok')
    if (request.index < n - 1) return
    listeners = getEventListeners(controller.signal, 'abort').length
    for (const r of s.requests.slice(0, n)) r.respond(503, 'busy')
  })
  closers.push(() => s.close())
  const warnings = await warningsDuring(async () => {
    statuses = await Promise.all(
      Array.from({ length: n }, async (_, i) => {
        const res = await request(`${s.origin}/${i}`, { dispatcher, signal: controller.signal })
        await res.body.text()
        return res.statusCode
      }),
    )
  })
  return { listeners, statuses, warnings, requests: s.requests.length }
}

describe('redressInterceptor: runs sharing one caller signal', () => {
  it('6 concurrent request()s, each retried once, add one listener to the signal and print no warning', async () => {
    const n = 6
    const plain = await concurrentRequests(agent(), n)
    expect(plain.listeners).toBe(n)
    expect(plain.warnings).toEqual([])
    const withRedress = await concurrentRequests(redressed(), n)
    // undici's request() listens once per request; redress once for all of them.
    expect(withRedress.listeners).toBe(n + 1)
    expect(withRedress.warnings).toEqual([])
    expect(withRedress.statuses).toEqual(Array.from({ length: n }, () => 200))
    expect(withRedress.requests).toBe(2 * n)
  })
})

/** What a run dispatched directly (no undici API layer) ended with. */
function dispatchRun(dispatcher: Dispatcher, origin: string, path: string, signal: unknown): Promise<unknown> {
  return new Promise((resolve) => {
    dispatcher.dispatch({ origin, path, method: 'GET', signal } as Dispatcher.DispatchOptions, {
      onRequestStart: () => {},
      onResponseEnd: () => resolve('end'),
      onResponseError: (_controller, error) => resolve(error),
    })
  })
}

describe('redressInterceptor: runs dispatched directly with one caller signal', () => {
  it('50 runs share one listener on an AbortSignal, all end with its reason, and none is left', async () => {
    const n = 50
    const s = await silentServer()
    const dispatcher = redressed()
    const controller = callerController()
    const reason = new Error('page closed')
    const warnings = await warningsDuring(async () => {
      const ended = Array.from({ length: n }, (_, i) => dispatchRun(dispatcher, s.origin, `/${i}`, controller.signal))
      await s.until(() => s.requests.length === n)
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
      controller.abort(reason)
      expect(await Promise.all(ended)).toEqual(Array.from({ length: n }, () => reason))
    })
    expect(warnings).toEqual([])
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    expect(s.requests).toHaveLength(n)
  })

  it('20 runs share one listener on an EventEmitter signal and all end when it emits abort', async () => {
    const n = 20
    const s = await silentServer()
    const dispatcher = redressed()
    // An EventEmitter warns past 10 listeners for one event, as an AbortSignal does on Node 20.
    const emitter = new EventEmitter()
    const warnings = await warningsDuring(async () => {
      const ended = Array.from({ length: n }, (_, i) => dispatchRun(dispatcher, s.origin, `/${i}`, emitter))
      await s.until(() => s.requests.length === n)
      expect(emitter.listenerCount('abort')).toBe(1)
      emitter.emit('abort')
      const errors = await Promise.all(ended)
      for (const error of errors) expect(error).toMatchObject({ name: 'AbortError' })
    })
    expect(warnings).toEqual([])
    expect(emitter.listenerCount('abort')).toBe(0)
  })

  it('a run that ends leaves the signal to the others: they still abort, then no listener is left', async () => {
    const s = await startHeldServer((request) => {
      if (request.url === '/answered') request.respond(200, 'ok')
    })
    closers.push(() => s.close())
    const dispatcher = redressed()
    const controller = callerController()
    const silent = dispatchRun(dispatcher, s.origin, '/silent', controller.signal)
    await s.until(() => s.requests.length === 1)
    expect(await dispatchRun(dispatcher, s.origin, '/answered', controller.signal)).toBe('end')
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1)
    const reason = new Error('stop')
    controller.abort(reason)
    expect(await silent).toBe(reason)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })
})
