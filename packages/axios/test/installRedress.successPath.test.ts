import { httpPolicy } from '@redress/core/http'
import {
  countSignalsAndTimers,
  type FaultServer,
  type FaultStep,
  startFaultServer,
  virtualPolicy,
} from '@redress/test-support'
import axios, {
  type AxiosError,
  type AxiosInstance,
  type AxiosResponse,
  type InternalAxiosRequestConfig,
  isCancel,
} from 'axios'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { installRedress } from '../src/installRedress.ts'

let server: FaultServer | undefined
afterEach(async () => {
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  await server?.close()
  server = undefined
})

async function serve(script: (n: number) => FaultStep): Promise<FaultServer> {
  server = await startFaultServer((n) => script(n))
  return server
}

/**
 * What `n` sequential first-try successes cost on a fresh instance (with redress and its default
 * policy on the real clock, or without it): constructions and calls counted while they run.
 */
async function successesCost(origin: string, n: number, withRedress: boolean) {
  const api = axios.create({ baseURL: origin, adapter: 'http' })
  if (withRedress) installRedress(api)
  const getUri = vi.spyOn(api, 'getUri')
  const counts = countSignalsAndTimers()
  for (let i = 0; i < n; i++) expect((await api.get('/ok')).data).toBe('ok')
  const cost = {
    abortControllers: counts.abortControllers,
    staticSignals: counts.staticSignals,
    getUriCalls: getUri.mock.calls.length,
    setTimeoutCalls: counts.setTimeoutCalls,
  }
  vi.restoreAllMocks()
  vi.unstubAllGlobals()
  return cost
}

describe('the success path (http adapter, real server)', () => {
  it('builds no AbortController or AbortSignal, no URL and no timer per request', async () => {
    const s = await serve(() => ({ status: 200, body: 'ok' }))
    const twenty = await successesCost(s.origin, 20, true)
    const forty = await successesCost(s.origin, 40, true)
    expect(twenty).toMatchObject({ abortControllers: 0, staticSignals: 0, getUriCalls: 0 })
    expect(forty).toMatchObject({ abortControllers: 0, staticSignals: 0, getUriCalls: 0 })
    // axios sets timers of its own (follow-redirects, one per request): what redress adds on top
    // of plain axios — at most the policy's one shared deadline timer — must not grow with the
    // number of requests.
    const plainTwenty = await successesCost(s.origin, 20, false)
    const plainForty = await successesCost(s.origin, 40, false)
    const addedForTwenty = twenty.setTimeoutCalls - plainTwenty.setTimeoutCalls
    const addedForForty = forty.setTimeoutCalls - plainForty.setTimeoutCalls
    expect(addedForForty).toBe(addedForTwenty)
    expect(addedForTwenty).toBeLessThanOrEqual(1)
  })

  it('keys the per-origin throttle by the request’s origin without a URL, whatever the spelling of its scheme', async () => {
    const s = await serve(() => ({ status: 200, body: 'ok' }))
    const policy = httpPolicy()
    // An absolute url is the origin hint, not the baseURL (an origin never contacted here)…
    const absolute = axios.create({ baseURL: 'http://127.0.0.1:9', adapter: 'http' })
    // …and a relative one's hint is the baseURL.
    const relative = axios.create({ baseURL: s.origin, adapter: 'http' })
    installRedress(absolute, { policy })
    installRedress(relative, { policy })
    const getUri = [vi.spyOn(absolute, 'getUri'), vi.spyOn(relative, 'getUri')]
    const upper = s.origin.replace(/^http:/, 'HTTP:')
    for (const url of [`${s.origin}/a`, `${upper}/b`]) expect((await absolute.get(url)).data).toBe('ok')
    for (const url of ['/c', 'd']) expect((await relative.get(url)).data).toBe('ok')
    expect(s.requests).toHaveLength(4)
    expect(Object.keys(policy.throttles())).toEqual([s.origin])
    for (const spy of getUri) expect(spy).not.toHaveBeenCalled()
  })

  it('keys the per-origin throttle by the baseURL for an absolute url under allowAbsoluteUrls: false', async () => {
    const s = await serve(() => ({ status: 200, body: 'ok' }))
    const policy = httpPolicy()
    // axios sends `${baseURL}/http://127.0.0.1:9/a`: the request goes to the baseURL's origin.
    const api = axios.create({ baseURL: s.origin, allowAbsoluteUrls: false, adapter: 'http' })
    installRedress(api, { policy })
    expect((await api.get('http://127.0.0.1:9/a')).data).toBe('ok')
    expect(s.requests).toHaveLength(1)
    expect(Object.keys(policy.throttles())).toEqual([s.origin])
  })

  it('builds the URL and the run’s signal once an attempt fails (the counters see them)', async () => {
    const s = await serve((n) => (n === 0 ? { status: 503 } : { status: 200, body: 'ok' }))
    const api = axios.create({ baseURL: s.origin, adapter: 'http' })
    installRedress(api, { policy: virtualPolicy({ budget: null }).policy })
    const getUri = vi.spyOn(api, 'getUri')
    const counts = countSignalsAndTimers()
    expect((await api.get('/ok')).data).toBe('ok')
    expect(getUri).toHaveBeenCalledTimes(1)
    expect(counts.abortControllers).toBeGreaterThan(0)
  })

  it('hands back a config with the caller’s own signal and adapter setting', async () => {
    const s = await serve(() => ({ status: 200, body: 'ok' }))
    const api = axios.create({ baseURL: s.origin, adapter: 'http' })
    installRedress(api)
    const controller = new AbortController()
    const res = await api.get('/ok', { signal: controller.signal })
    expect(res.config.signal).toBe(controller.signal)
    expect(res.config.adapter).toBe('http')
  })
})

describe('cutting an attempt in flight (http adapter: the server sees its socket close)', () => {
  function client(origin: string, policy: ReturnType<typeof httpPolicy>): AxiosInstance {
    const api = axios.create({ baseURL: origin, adapter: 'http' })
    installRedress(api, { policy })
    return api
  }

  it('rejects with a TimeoutError once attemptTimeoutMs passes, and closes the socket (real clock)', async () => {
    const s = await serve(() => ({ hang: true }))
    const api = client(s.origin, httpPolicy({ attemptTimeoutMs: 50, maxAttempts: 1 }))
    const error: unknown = await api.get('/hang').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(DOMException)
    expect((error as DOMException).name).toBe('TimeoutError')
    // The client closes whatever the server accepted; nothing waits for a server-side timeout.
    await vi.waitFor(() => expect(s.openSockets).toBe(0))
    expect(s.requests.length).toBeLessThanOrEqual(1)
  })

  it('closes the socket the request is on when the attempt timeout fires', async () => {
    const s = await serve(() => ({ hang: true }))
    const made = virtualPolicy({ budget: null, attemptTimeoutMs: 50, maxAttempts: 1 })
    const api = client(s.origin, made.policy)
    const pending = api.get('/hang').catch((e: unknown) => e)
    await vi.waitFor(() => expect(s.requests).toHaveLength(1))
    expect(s.openSockets).toBe(1)
    await made.clock.advance(50)
    expect(((await pending) as DOMException).name).toBe('TimeoutError')
    await vi.waitFor(() => expect(s.openSockets).toBe(0))
  })

  it('closes the socket when the caller aborts mid-attempt, rejecting with a CanceledError', async () => {
    const s = await serve(() => ({ hang: true }))
    const api = client(s.origin, virtualPolicy({ budget: null }).policy)
    const controller = new AbortController()
    const pending = api.get('/hang', { signal: controller.signal }).catch((e: unknown) => e)
    await vi.waitFor(() => expect(s.requests).toHaveLength(1))
    controller.abort()
    const error = await pending
    expect(isCancel(error)).toBe(true)
    expect((error as AxiosError).code).toBe('ERR_CANCELED')
    await vi.waitFor(() => expect(s.openSockets).toBe(0))
    expect(s.requests).toHaveLength(1)
  })

  it('closes the socket when a cancel token fires mid-attempt, rejecting with the token’s reason', async () => {
    const s = await serve(() => ({ hang: true }))
    const api = client(s.origin, virtualPolicy({ budget: null }).policy)
    const source = axios.CancelToken.source()
    const pending = api.get('/hang', { cancelToken: source.token }).catch((e: unknown) => e)
    await vi.waitFor(() => expect(s.requests).toHaveLength(1))
    source.cancel('enough')
    const error = await pending
    expect(isCancel(error)).toBe(true)
    expect((error as Error).message).toBe('enough')
    await vi.waitFor(() => expect(s.openSockets).toBe(0))
  })
})

describe('cutting an attempt in flight (fetch adapter: the signal fetch was given aborts)', () => {
  /** An axios instance on the fetch adapter whose fetch records the signal of every request. */
  function client(
    origin: string,
    policy: ReturnType<typeof httpPolicy>,
  ): { api: AxiosInstance; signals: AbortSignal[] } {
    const signals: AbortSignal[] = []
    const recording = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      const signal = input instanceof Request ? input.signal : init?.signal
      if (signal !== null && signal !== undefined) signals.push(signal)
      return fetch(input, init)
    }
    const api = axios.create({ baseURL: origin, adapter: 'fetch', env: { fetch: recording } })
    installRedress(api, { policy })
    return { api, signals }
  }

  it('aborts fetch when the attempt timeout fires', async () => {
    const s = await serve(() => ({ hang: true }))
    const made = virtualPolicy({ budget: null, attemptTimeoutMs: 50, maxAttempts: 1 })
    const { api, signals } = client(s.origin, made.policy)
    const pending = api.get('/hang').catch((e: unknown) => e)
    await vi.waitFor(() => expect(s.requests).toHaveLength(1))
    expect(signals.map((signal) => signal.aborted)).toEqual([false])
    await made.clock.advance(50)
    expect(((await pending) as DOMException).name).toBe('TimeoutError')
    expect(signals.map((signal) => signal.aborted)).toEqual([true])
  })

  it('aborts fetch when the caller aborts mid-attempt, rejecting with a CanceledError', async () => {
    const s = await serve(() => ({ hang: true }))
    const { api, signals } = client(s.origin, virtualPolicy({ budget: null }).policy)
    const controller = new AbortController()
    const pending = api.get('/hang', { signal: controller.signal }).catch((e: unknown) => e)
    await vi.waitFor(() => expect(s.requests).toHaveLength(1))
    controller.abort()
    expect(isCancel(await pending)).toBe(true)
    expect(signals.map((signal) => signal.aborted)).toEqual([true])
  })

  it('aborts a custom adapter that hands config.signal to Node’s fetch as it is', async () => {
    const s = await serve(() => ({ hang: true }))
    const made = virtualPolicy({ budget: null, attemptTimeoutMs: 50, maxAttempts: 1 })
    let fetchFailure: unknown
    const api = axios.create({
      adapter: async (config) => {
        const response = await fetch(`${s.origin}/hang`, { signal: config.signal as AbortSignal }).catch(
          (e: unknown) => {
            fetchFailure = e
            throw e
          },
        )
        return { data: await response.text(), status: response.status, statusText: '', headers: {}, config }
      },
    })
    installRedress(api, { policy: made.policy })
    const pending = api.get('/hang').catch((e: unknown) => e)
    await vi.waitFor(() => expect(s.requests).toHaveLength(1))
    await made.clock.advance(50)
    expect(((await pending) as DOMException).name).toBe('TimeoutError')
    // Node's fetch took the attempt signal as it is, and rejected with its reason when it fired.
    await vi.waitFor(() => expect((fetchFailure as DOMException | undefined)?.name).toBe('TimeoutError'))
  })
})

describe('a transport that ignores the attempt signal', () => {
  it('rejects at the attempt timeout without waiting for the transport, and releases the response it hands over late', async () => {
    const made = virtualPolicy({ budget: null, attemptTimeoutMs: 50, maxAttempts: 1 })
    let handOver: ((response: AxiosResponse) => void) | undefined
    let sent: InternalAxiosRequestConfig | undefined
    // Never looks at config.signal: only the run's own promise can end the request on time.
    const api = axios.create({
      adapter: (config) =>
        new Promise<AxiosResponse>((resolve) => {
          sent = config
          handOver = resolve
        }),
    })
    installRedress(api, { policy: made.policy })
    let outcome: unknown
    void api.get('http://127.0.0.1:9/late', { responseType: 'stream' }).then(
      () => {
        outcome = 'resolved'
      },
      (error: unknown) => {
        outcome = error
      },
    )
    await vi.waitFor(() => expect(handOver).toBeDefined())
    await made.clock.advance(50)
    await vi.waitFor(() => expect((outcome as DOMException | undefined)?.name).toBe('TimeoutError'))
    let destroyed = 0
    const late = {
      destroy: () => {
        destroyed++
      },
    }
    handOver?.({ data: late, status: 200, statusText: 'OK', headers: {}, config: sent as InternalAxiosRequestConfig })
    await vi.waitFor(() => expect(destroyed).toBe(1))
  })
})
