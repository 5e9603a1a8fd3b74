import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { httpPolicy } from '@redress/core/http'
import { Agent, type Dispatcher, request } from 'undici'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { redressInterceptor } from '../src/redressInterceptor.ts'

const closers: (() => Promise<unknown>)[] = []
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close()
})

interface TestServer {
  readonly origin: string
  /** Resolves when the server-side socket of the n-th connection (0-based) closes. */
  socketClosed(n: number): Promise<void>
}

/** A `node:http` server on 127.0.0.1 port 0 that answers with `respond`. */
async function startServer(respond: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const closed: Promise<void>[] = []
  const arrived: (() => void)[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer(respond)
  server.keepAliveTimeout = 60_000
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    closed.push(new Promise<void>((resolve) => socket.on('close', () => resolve())))
    arrived.shift()?.()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  )
  return {
    origin: `http://127.0.0.1:${address.port}`,
    async socketClosed(n) {
      while (closed[n] === undefined) await new Promise<void>((resolve) => arrived.push(resolve))
      return closed[n]
    },
  }
}

function okServer(): Promise<TestServer> {
  return startServer((_req, res) => {
    res.writeHead(200, { 'content-length': '2' })
    res.end('ok')
  })
}

function agent(...interceptors: Dispatcher.DispatcherComposeInterceptor[]): Dispatcher {
  const a = new Agent()
  closers.push(() => a.close())
  return a.compose(...interceptors)
}

const passThrough: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => dispatch(opts, handler)

interface Costs {
  abortControllers: number
  abortSignals: number
  timers: number
}

/**
 * Counts `AbortController`s, `AbortSignal`s made by `AbortSignal.any`/`timeout`, and `setTimeout`
 * calls made anywhere in the process while `work` runs. undici's own are included (its HTTP/1
 * parser sets a native keep-alive timer each time a connection goes idle), so tests compare runs
 * of the same requests instead of asserting absolute counts.
 */
async function countDuring(work: () => Promise<void>): Promise<Costs> {
  const costs: Costs = { abortControllers: 0, abortSignals: 0, timers: 0 }
  const OriginalController = globalThis.AbortController
  const originalSetTimeout = globalThis.setTimeout
  const originalAny = AbortSignal.any
  const originalTimeout = AbortSignal.timeout
  globalThis.AbortController = class CountingAbortController extends OriginalController {
    constructor() {
      super()
      costs.abortControllers += 1
    }
  }
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    costs.timers += 1
    return originalSetTimeout(...args)
  }) as typeof setTimeout
  AbortSignal.any = (signals) => {
    costs.abortSignals += 1
    return originalAny.call(AbortSignal, signals)
  }
  AbortSignal.timeout = (ms) => {
    costs.abortSignals += 1
    return originalTimeout.call(AbortSignal, ms)
  }
  try {
    await work()
  } finally {
    globalThis.AbortController = OriginalController
    globalThis.setTimeout = originalSetTimeout
    AbortSignal.any = originalAny
    AbortSignal.timeout = originalTimeout
  }
  return costs
}

async function sequential(dispatcher: Dispatcher, origin: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const res = await request(`${origin}/${i}`, { dispatcher })
    expect(await res.body.text()).toBe('ok')
  }
}

describe('redressInterceptor: the success path', () => {
  it('makes no AbortController or AbortSignal, and at most one timer for any number of successes', async () => {
    const s = await okServer()
    // Whatever undici sets up once per process is paid here, outside the counts.
    await sequential(agent(passThrough), s.origin, 1)

    const plain20 = await countDuring(() => sequential(agent(passThrough), s.origin, 20))
    const plain40 = await countDuring(() => sequential(agent(passThrough), s.origin, 40))
    const redress20 = await countDuring(() => sequential(agent(redressInterceptor()), s.origin, 20))
    const redress40 = await countDuring(() => sequential(agent(redressInterceptor()), s.origin, 40))

    expect(redress20.abortControllers).toBe(plain20.abortControllers)
    expect(redress20.abortSignals).toBe(plain20.abortSignals)
    expect(redress40.abortControllers).toBe(plain40.abortControllers)
    expect(redress40.abortSignals).toBe(plain40.abortSignals)
    // The policy's one deadline timer, shared by all its requests, whatever their number.
    expect(redress20.timers - plain20.timers).toBeLessThanOrEqual(1)
    expect(redress40.timers - plain40.timers).toBe(redress20.timers - plain20.timers)
  })

  it("dispatches the caller's own options object when it has no redress option", async () => {
    const s = await okServer()
    const seen: Dispatcher.DispatchOptions[] = []
    const spy: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
      seen.push(opts)
      return dispatch(opts, handler)
    }
    // compose: the last interceptor is the outermost, so the spy sees redress's attempts.
    const dispatcher = agent(spy, redressInterceptor())
    const plain: Dispatcher.DispatchOptions = { origin: s.origin, path: '/', method: 'GET' }
    const withRedress: Dispatcher.DispatchOptions = { ...plain, redress: { operation: 'op' } }
    await (await dispatcher.request(plain)).body.dump()
    await (await dispatcher.request(withRedress)).body.dump()
    expect(seen).toHaveLength(2)
    expect(seen[0]).toMatchObject({ origin: s.origin, path: '/', method: 'GET' })
    expect(seen[0]).not.toHaveProperty('redress')
    expect(seen[1]).not.toHaveProperty('redress')
    expect(withRedress.redress).toEqual({ operation: 'op' })
  })

  it("reads neither the path, the headers nor the body of the caller's options for a request that succeeds", async () => {
    const s = await okServer()
    const reads: PropertyKey[] = []
    let below = false
    // Below redress: hands the transport a plain copy, so only redress's own reads are recorded.
    const copy: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
      below = true
      const plain = { ...opts }
      below = false
      return dispatch(plain, handler)
    }
    // Above redress: undici's request() has read the options by now; redress's reads start here.
    let recording = false
    const start: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
      recording = true
      return dispatch(opts, handler)
    }
    const dispatcher = agent(copy, redressInterceptor(), start)
    const given = { origin: s.origin, path: '/', method: 'GET', headers: { 'x-a': '1' }, body: 'replayable' }
    const opts = new Proxy(given, {
      get(target, key, receiver) {
        if (recording && !below) reads.push(key)
        return Reflect.get(target, key, receiver)
      },
    })
    const res = await dispatcher.request(opts as Dispatcher.RequestOptions)
    expect(res.statusCode).toBe(200)
    expect(await res.body.text()).toBe('ok')
    expect(reads).not.toContain('path')
    expect(reads).not.toContain('headers')
    expect(reads).not.toContain('body')
    // The method and the origin are read once each; absent options are asked for, not read.
    expect(reads.filter((key) => key === 'method')).toHaveLength(1)
    expect(reads.filter((key) => key === 'origin')).toHaveLength(1)
    expect(reads).not.toContain('redress')
    expect(reads).not.toContain('upgrade')
    expect(reads).not.toContain('signal')
    // Nothing else of the options is read either.
    expect([...reads].sort()).toEqual(['method', 'origin'])
  })

  it('honours options a request inherits (an options object that is not a plain one)', async () => {
    let requests = 0
    const s = await startServer((_req, res) => {
      requests++
      res.writeHead(503, { 'content-length': '0' })
      res.end()
    })
    const dispatcher = agent(redressInterceptor({ policy: httpPolicy({ strategy: () => 0 }) }))
    // `redress: { retry: false }` comes from the prototype: the request is sent once, unretried.
    const inherited = Object.assign(Object.create({ redress: { retry: false } }), {
      origin: s.origin,
      path: '/',
      method: 'GET',
    }) as Dispatcher.RequestOptions
    const res = await dispatcher.request(inherited)
    await res.body.dump()
    expect(res.statusCode).toBe(503)
    expect(requests).toBe(1)
  })

  it('passes the attempts of another copy of the package through', async () => {
    const s = await startServer((_req, res) => {
      res.writeHead(503, { 'content-length': '4' })
      res.end('busy')
    })
    // A fresh module graph: another copy of this package, and of @redress/core under it.
    vi.resetModules()
    const other = (await import('../src/redressInterceptor.ts')).redressInterceptor
    const otherPolicy = (await import('@redress/core/http')).httpPolicy
    expect(other).not.toBe(redressInterceptor)
    let requests = 0
    const counter: Dispatcher.DispatcherComposeInterceptor = (dispatch) => (opts, handler) => {
      requests += 1
      return dispatch(opts, handler)
    }
    const instant = { budget: null, sleeper: async () => {} }
    const dispatcher = agent(
      counter,
      redressInterceptor({ policy: httpPolicy(instant) }),
      other({ policy: otherPolicy(instant) }),
    )
    const res = await request(s.origin, { dispatcher })
    await res.body.dump()
    expect(res.statusCode).toBe(503)
    expect(requests).toBe(3)
  })
})

/** Records what the transport's controller is asked to do, and whether calls nest. */
function controllerSpy(events: string[]): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) =>
    dispatch(opts, {
      onRequestStart: (controller, context) => handler.onRequestStart?.(spied(controller, events), context),
      onResponseStart: (controller, status, headers, message) => {
        events.push(`transport: head ${status}`)
        handler.onResponseStart?.(spied(controller, events), status, headers, message)
        events.push('transport: head returned')
      },
      onResponseData: (controller, chunk) => handler.onResponseData?.(spied(controller, events), chunk),
      onResponseEnd: (controller, trailers) => handler.onResponseEnd?.(spied(controller, events), trailers),
      onResponseError: (controller, error) => handler.onResponseError?.(spied(controller, events), error),
    })
}

function spied(controller: Dispatcher.DispatchController, events: string[]): Dispatcher.DispatchController {
  return new Proxy(controller, {
    get(target, key) {
      if (key === 'pause' || key === 'resume' || key === 'abort') {
        return (reason?: Error) => {
          events.push(`transport: ${key}`)
          return target[key](reason as Error)
        }
      }
      const value: unknown = Reflect.get(target, key, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/** A server whose 200 sends its head and first chunk, then waits for `finish()` to send the rest. */
async function slowBodyServer(): Promise<TestServer & { finish(): void }> {
  let finish = (): void => {}
  const finished = new Promise<void>((resolve) => {
    finish = resolve
  })
  const s = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' })
    res.write('first;')
    void finished.then(() => res.end('last'))
  })
  return { ...s, finish }
}

/** Dispatches GET / and records what the caller's handler sees; `onChunk` runs on each chunk. */
function dispatchRecording(
  dispatcher: Dispatcher,
  origin: string,
  events: string[],
  hooks: { onStart?: (controller: Dispatcher.DispatchController) => void; onChunk?: () => void } = {},
): Promise<{ body: string; error: unknown }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    dispatcher.dispatch(
      { origin, path: '/', method: 'GET' },
      {
        onRequestStart: (controller) => {
          events.push('caller: start')
          hooks.onStart?.(controller)
        },
        onResponseStart: (_c, status) => events.push(`caller: head ${status}`),
        onResponseData: (_c, chunk) => {
          events.push(`caller: data ${chunk.toString()}`)
          chunks.push(chunk)
          hooks.onChunk?.()
        },
        onResponseEnd: () => {
          events.push('caller: end')
          resolve({ body: Buffer.concat(chunks).toString(), error: undefined })
        },
        onResponseError: (_c, error) => {
          events.push('caller: error')
          resolve({ body: Buffer.concat(chunks).toString(), error })
        },
      },
    )
  })
}

describe('redressInterceptor: a success goes straight through', () => {
  it('hands a 200 head to the caller inside the transport callback, never pausing, before its body has arrived', async () => {
    const s = await slowBodyServer()
    const events: string[] = []
    const dispatcher = agent(controllerSpy(events), redressInterceptor())
    const done = dispatchRecording(dispatcher, s.origin, events, {
      onChunk: () => {
        if (events.includes('caller: data first;')) s.finish()
      },
    })
    const { body, error } = await done
    expect(error).toBeUndefined()
    expect(body).toBe('first;last')
    expect(events.slice(0, 4)).toEqual([
      'caller: start',
      'transport: head 200',
      'caller: head 200',
      'transport: head returned',
    ])
    expect(events).not.toContain('transport: pause')
    expect(events.filter((e) => e === 'caller: end')).toHaveLength(1)
  })

  it('lets the caller pause and resume a straight-through body through its controller', async () => {
    const s = await slowBodyServer()
    const events: string[] = []
    const dispatcher = agent(controllerSpy(events), redressInterceptor())
    let controller: Dispatcher.DispatchController | undefined
    let pausedOnce = false
    const done = dispatchRecording(dispatcher, s.origin, events, {
      onStart: (c) => {
        controller = c
      },
      onChunk: () => {
        if (pausedOnce) return
        pausedOnce = true
        controller?.pause()
        expect(controller?.paused).toBe(true)
        setImmediate(() => {
          controller?.resume()
          s.finish()
        })
      },
    })
    const { body } = await done
    expect(body).toBe('first;last')
    expect(events.filter((e) => e.startsWith('transport: pause') || e.startsWith('transport: resume'))).toEqual([
      'transport: pause',
      'transport: resume',
    ])
  })

  it('keeps a straight-through body paused when the caller paused before the response', async () => {
    const s = await slowBodyServer()
    const events: string[] = []
    const dispatcher = agent(controllerSpy(events), redressInterceptor())
    let controller: Dispatcher.DispatchController | undefined
    const done = new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = []
      dispatcher.dispatch(
        { origin: s.origin, path: '/', method: 'GET' },
        {
          onRequestStart: (c) => {
            controller = c
            c.pause()
          },
          onResponseStart: () => {
            events.push('caller: head')
            setImmediate(() => {
              controller?.resume()
              s.finish()
            })
          },
          onResponseData: (_c, chunk) => {
            events.push('caller: data')
            chunks.push(chunk)
          },
          onResponseEnd: () => resolve(Buffer.concat(chunks).toString()),
          onResponseError: (_c, error) => reject(error),
        },
      )
    })
    expect(await done).toBe('first;last')
    expect(events.slice(0, 3)).toEqual(['transport: head 200', 'transport: pause', 'caller: head'])
    expect(events.indexOf('transport: resume')).toBeLessThan(events.indexOf('caller: data'))
  })

  it('ends a straight-through body with the reason when the caller aborts mid-body, and closes its socket', async () => {
    const s = await slowBodyServer()
    const events: string[] = []
    const dispatcher = agent(redressInterceptor())
    let controller: Dispatcher.DispatchController | undefined
    const reason = new Error('caller gave up')
    const { body, error } = await dispatchRecording(dispatcher, s.origin, events, {
      onStart: (c) => {
        controller = c
      },
      onChunk: () => controller?.abort(reason),
    })
    expect(error).toBe(reason)
    expect(body).toBe('first;')
    expect(events).toEqual(['caller: start', 'caller: head 200', 'caller: data first;', 'caller: error'])
    await s.socketClosed(0)
  })
})

describe('redressInterceptor: the deadline on the success path', () => {
  it('cuts an attempt that never gets an answer with a TimeoutError, and frees its connection', async () => {
    const s = await startServer(() => {
      // never answers
    })
    const policy = httpPolicy({ budget: null, attemptTimeoutMs: 50, maxAttempts: 1 })
    const error: unknown = await request(s.origin, { dispatcher: agent(redressInterceptor({ policy })) }).catch(
      (e: unknown) => e,
    )
    expect(error).toMatchObject({ name: 'TimeoutError' })
    await s.socketClosed(0)
  })
})
