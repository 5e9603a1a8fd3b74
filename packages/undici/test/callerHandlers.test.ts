import { closedPortOrigin, rangeServers, seededBytes, startHeldServer, virtualPolicy } from '@redress/test-support'
import { Agent, type Dispatcher } from 'undici'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ERROR_NOT_DELIVERED } from '../src/endWithError.ts'
import { redressInterceptor } from '../src/redressInterceptor.ts'
import { trackedAgents } from './support/agents.ts'

// What a caller's handler that is not undici's v7 handler meets. undici 7's Dispatcher.compose
// wraps any handler without onRequestStart (a legacy onConnect/onHeaders/onData/onComplete/onError
// one, an empty object, a string…) before an interceptor sees it; a wrapper around a handler
// without onError throws undici's InvalidArgumentError('invalid onError method') when it is told
// of a failure, which, thrown from inside undici's callbacks, was an uncaught exception. undici 8's
// compose hands such handlers on as given: the run called only the v7 methods, so a legacy handler
// never heard of its response. A plain Agent refuses both at dispatch.

const { closers, agent, redressed } = trackedAgents()
const uncaught: unknown[] = []
const onUncaught = (error: unknown): void => {
  uncaught.push(error)
}
beforeEach(() => {
  uncaught.length = 0
  process.on('uncaughtException', onUncaught)
})
afterEach(async () => {
  process.off('uncaughtException', onUncaught)
})
const serve = rangeServers()

const LEGACY_WITHOUT_ON_REQUEST_START = { onConnect() {}, onHeaders() {}, onData() {}, onComplete() {} }

/** Whether this undici's `Dispatcher.compose` wraps a handler without `onRequestStart` (undici 7) or hands it on as it is (undici 8). */
function composeWrapsLegacyHandlers(): boolean {
  let seen: unknown
  const probe = new Agent().compose((_dispatch) => (_opts, handler) => {
    seen = handler
    return true
  })
  probe.dispatch({ origin: 'http://127.0.0.1', path: '/', method: 'GET' }, LEGACY_WITHOUT_ON_REQUEST_START as never)
  void probe.close()
  return seen !== LEGACY_WITHOUT_ON_REQUEST_START
}
const WRAPS = composeWrapsLegacyHandlers()

/** A legacy handler that records what it is told, and settles when it ends (onComplete or onError). */
function legacyHandler(): { handler: Record<string, unknown>; events: string[]; ended: Promise<void> } {
  const events: string[] = []
  let end = (): void => {}
  const ended = new Promise<void>((resolve) => {
    end = resolve
  })
  const handler = {
    onConnect: (abort: unknown) => events.push(`connect ${typeof abort}`),
    onHeaders: (statusCode: number, rawHeaders: Buffer[], resume: unknown) => {
      const names = rawHeaders.filter((_, i) => i % 2 === 0).map((name) => name.toString('latin1').toLowerCase())
      events.push(`headers ${statusCode} ${names.includes('content-length')} ${typeof resume}`)
      return true
    },
    onData: (chunk: Buffer) => {
      events.push(`data ${chunk.toString()}`)
      return true
    },
    onComplete: (trailers: unknown) => {
      events.push(`complete ${Array.isArray(trailers)}`)
      end()
    },
    onError: (error: { code?: unknown }) => {
      events.push(`error ${String(error.code)}`)
      end()
    },
  }
  return { handler, events, ended }
}

/** Dispatches `handler` as given; returns what `dispatch` threw synchronously, if anything. */
function dispatchOrThrow(dispatcher: Dispatcher, origin: string, path: string, handler: unknown): unknown {
  try {
    dispatcher.dispatch({ origin, path, method: 'GET' }, handler as Dispatcher.DispatchHandler)
    return undefined
  } catch (error) {
    return error
  }
}

/**
 * Resolves with the first process warning of redress's about an error a handler could not be told,
 * or with the first uncaught exception, whichever comes first.
 */
function unreportedOrUncaught(): Promise<{ warning?: Error; uncaught?: unknown }> {
  return new Promise((resolve) => {
    const onWarning = (warning: Error & { code?: unknown }): void => {
      if (warning.code !== ERROR_NOT_DELIVERED) return
      done({ warning })
    }
    const onError = (error: unknown): void => done({ uncaught: error })
    const done = (outcome: { warning?: Error; uncaught?: unknown }): void => {
      process.off('warning', onWarning)
      process.off('uncaughtException', onError)
      resolve(outcome)
    }
    process.on('warning', onWarning)
    process.on('uncaughtException', onError)
  })
}

describe.runIf(WRAPS)("redressInterceptor: legacy handlers, which undici 7's Dispatcher.compose wraps", () => {
  it('hands the interceptor a wrapper with the v7 methods, not the legacy handler', async () => {
    const s = await startHeldServer((held) => held.respond(200, 'hello'))
    closers.push(() => s.close())
    const seen: unknown[] = []
    const recorder: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
      seen.push(handler)
      return dispatch(opts, handler)
    }
    const { policy } = virtualPolicy({ budget: null })
    // The recorder is composed last, so it runs first, and hands redress the handler it got.
    const dispatcher = agent().compose(redressInterceptor({ policy }), recorder)
    const legacy = legacyHandler()
    dispatcher.dispatch({ origin: s.origin, path: '/', method: 'GET' }, legacy.handler as never)
    await legacy.ended
    expect(seen).toHaveLength(1)
    expect(seen[0]).not.toBe(legacy.handler)
    expect(typeof (seen[0] as Dispatcher.DispatchHandler).onRequestStart).toBe('function')
    expect(typeof (seen[0] as Dispatcher.DispatchHandler).onResponseError).toBe('function')
  })

  it('delivers to a legacy handler what a plain Agent delivers: the 200 after a retried 503, and its body', async () => {
    const s = await startHeldServer((held) =>
      held.respond(held.url === '/retried' && held.index === 1 ? 503 : 200, 'hello'),
    )
    closers.push(() => s.close())
    const plain = legacyHandler()
    agent().dispatch({ origin: s.origin, path: '/plain', method: 'GET' }, plain.handler as never)
    await plain.ended
    const withRedress = legacyHandler()
    redressed().dispatch({ origin: s.origin, path: '/retried', method: 'GET' }, withRedress.handler as never)
    await withRedress.ended
    expect(plain.events).toEqual(['connect function', 'headers 200 true function', 'data hello', 'complete true'])
    expect(withRedress.events).toEqual(plain.events)
    expect(s.requests.map((r) => r.url)).toEqual(['/plain', '/retried', '/retried'])
    expect(uncaught).toEqual([])
  })

  it("ends a legacy handler's failed run in its onError, as a plain Agent does", async () => {
    const origin = await closedPortOrigin()
    const plain = legacyHandler()
    agent().dispatch({ origin, path: '/', method: 'GET' }, plain.handler as never)
    await plain.ended
    const withRedress = legacyHandler()
    redressed().dispatch({ origin, path: '/', method: 'GET' }, withRedress.handler as never)
    await withRedress.ended
    expect(plain.events).toEqual(['error ECONNREFUSED'])
    // redress hands out the controller before its first backoff sleep (see the README), so the
    // caller can abort during it: onConnect comes first.
    expect(withRedress.events).toEqual(['connect function', 'error ECONNREFUSED'])
    expect(uncaught).toEqual([])
  })

  it.each([
    ['a legacy handler without onError', () => ({ ...LEGACY_WITHOUT_ON_REQUEST_START })],
    ['an empty object', () => ({})],
    ['a string', () => 'not a handler'],
    ['a number', () => 42],
    ['a function', () => () => {}],
  ])(
    'ends the failed run of %s, which compose wrapped and no one can tell, with a warning, not an uncaught exception',
    async (_name, make) => {
      const origin = await closedPortOrigin()
      const outcome = unreportedOrUncaught()
      // A plain Agent refuses these at dispatch; redress cannot look into undici's wrapper.
      expect(dispatchOrThrow(redressed(), origin, '/', make())).toBeUndefined()
      const { warning, uncaught: thrown } = await outcome
      expect(thrown).toBeUndefined()
      expect(warning?.message).toMatch(/^redressInterceptor: .*no onError.*ECONNREFUSED/)
      await new Promise<void>((resolve) => setImmediate(resolve))
      expect(uncaught).toEqual([])
    },
  )

  it('ends a body cut after it reached a legacy handler without onError with a warning, not an uncaught exception', async () => {
    const body = seededBytes(64 * 1024, 7)
    // No validator: the cut body is not resumed, and its error goes to the handler.
    const server = await serve({ body, validator: 'none', script: () => ({ cutAfter: 1_000 }) })
    const events: string[] = []
    const handler = {
      onConnect: () => events.push('connect'),
      onHeaders: (statusCode: number) => events.push(`headers ${statusCode}`),
      onData: () => true,
      onComplete: () => events.push('complete'),
    }
    const outcome = unreportedOrUncaught()
    expect(dispatchOrThrow(redressed(), server.origin, '/file.bin', handler)).toBeUndefined()
    const { warning, uncaught: thrown } = await outcome
    expect(thrown).toBeUndefined()
    expect(warning?.message).toMatch(/^redressInterceptor: .*no onError/)
    expect(events).toEqual(['connect', 'headers 200'])
    await new Promise<void>((resolve) => setImmediate(resolve))
    expect(uncaught).toEqual([])
  })
})

describe('redressInterceptor: handlers it cannot report to are refused at dispatch', () => {
  /**
   * The interceptor called directly, as undici 8's compose calls it (handlers reach it unwrapped),
   * over a real Agent; `sent` counts what it dispatched down the chain.
   */
  function unwrapped(): { dispatch: Dispatcher.Dispatch; sent: unknown[] } {
    const { policy } = virtualPolicy({ budget: null })
    const made = agent()
    const sent: unknown[] = []
    const dispatch = redressInterceptor({ policy })((opts, handler) => {
      sent.push(opts)
      return made.dispatch(opts, handler)
    })
    return { dispatch, sent }
  }

  it.each([
    [
      'a legacy handler',
      () => legacyHandler().handler,
      /handler\.onResponseError must be a function, got undefined .*legacy/,
    ],
    ['an empty object', () => ({}), /handler\.onResponseError must be a function, got undefined/],
    ['null', () => null, /handler must be an object .*, got null/],
    ['undefined', () => undefined, /handler must be an object .*got undefined/],
    ['a string', () => 'not a handler', /handler must be an object .*got "not a handler"/],
    [
      'a v7 handler without onResponseError',
      () => ({ onRequestStart() {}, onResponseStart() {}, onResponseData() {}, onResponseEnd() {} }),
      /handler\.onResponseError must be a function, got undefined/,
    ],
    [
      'a handler whose onRequestStart is not a function',
      () => ({ onRequestStart: 'start', onResponseError() {} }),
      /handler\.onRequestStart must be a function, got "start"/,
    ],
  ])('throws a TypeError naming the handler for %s, and dispatches nothing', async (_name, make, message) => {
    const s = await startHeldServer((held) => held.respond(200, 'hello'))
    closers.push(() => s.close())
    const { dispatch, sent } = unwrapped()
    const thrown = dispatchOrThrow({ dispatch } as Dispatcher, s.origin, '/', make())
    expect(thrown).toBeInstanceOf(TypeError)
    expect((thrown as Error).message).toMatch(/^redressInterceptor: /)
    expect((thrown as Error).message).toMatch(message)
    // No run was made: nothing is dispatched later either.
    await new Promise<void>((resolve) => setImmediate(resolve))
    expect(sent).toEqual([])
    expect(s.requests).toHaveLength(0)
    expect(uncaught).toEqual([])
  })

  it('accepts a v7 handler without onRequestStart, which needs none to receive its response', async () => {
    const s = await startHeldServer((held) => held.respond(held.index === 0 ? 503 : 200, 'hello'))
    closers.push(() => s.close())
    const { dispatch, sent } = unwrapped()
    const received = await new Promise<string[]>((resolve, reject) => {
      const events: string[] = []
      dispatch(
        { origin: s.origin, path: '/', method: 'GET' },
        {
          onResponseStart: (_controller, statusCode) => events.push(`start ${statusCode}`),
          onResponseData: (_controller, chunk) => events.push(`data ${chunk.toString()}`),
          onResponseEnd: () => resolve(events),
          onResponseError: (_controller, error) => reject(error),
        },
      )
    })
    expect(received).toEqual(['start 200', 'data hello'])
    expect(sent).toHaveLength(2)
  })

  it('refuses through Dispatcher.compose a v7 handler without onResponseError, which a plain Agent refuses (undici 8) or crashes on (undici 7)', async () => {
    const origin = await closedPortOrigin()
    const handler = { onRequestStart() {}, onResponseStart() {}, onResponseData() {}, onResponseEnd() {} }
    const thrown = dispatchOrThrow(redressed(), origin, '/', handler)
    expect(thrown).toBeInstanceOf(TypeError)
    expect((thrown as Error).message).toMatch(/handler\.onResponseError must be a function/)
    expect(uncaught).toEqual([])
  })

  it.skipIf(WRAPS)(
    'refuses through Dispatcher.compose a legacy handler synchronously, as a plain Agent does (undici 8)',
    async () => {
      const s = await startHeldServer((held) => held.respond(200, 'hello'))
      closers.push(() => s.close())
      const plain = dispatchOrThrow(agent(), s.origin, '/', legacyHandler().handler)
      expect(plain).toMatchObject({ code: 'UND_ERR_INVALID_ARG' })
      const thrown = dispatchOrThrow(redressed(), s.origin, '/', legacyHandler().handler)
      expect(thrown).toBeInstanceOf(TypeError)
      expect((thrown as Error).message).toMatch(/handler\.onResponseError must be a function/)
      expect(s.requests).toHaveLength(0)
    },
  )
})
