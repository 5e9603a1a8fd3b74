import { type Dispatcher, interceptors, request } from 'undici'
import { describe, expect, it } from 'vitest'
import { FakeDispatcher } from '../src/overhead/FakeDispatcher.ts'
import { OK_BODY } from '../src/overhead/okBody.ts'
import { passThroughInterceptor } from '../src/overhead/passThrough.ts'

const URL_OK = 'http://127.0.0.1:9/ok'

describe('FakeDispatcher', () => {
  it('answers request() straight to it with a 200 and the benchmark body', async () => {
    const res = await request(URL_OK, { dispatcher: new FakeDispatcher() })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-length']).toBe(String(OK_BODY.length))
    expect(await res.body.text()).toBe(OK_BODY)
  })

  it('answers through a composed pass-through and through interceptors.retry() alike', async () => {
    const fake = new FakeDispatcher()
    for (const dispatcher of [fake.compose(passThroughInterceptor), fake.compose(interceptors.retry())]) {
      const res = await request(URL_OK, { dispatcher })
      expect(res.statusCode).toBe(200)
      expect(await res.body.text()).toBe(OK_BODY)
    }
  })

  it('calls the v7 callbacks in order, on a microtask, not during dispatch', async () => {
    const calls: string[] = []
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart: () => calls.push('start'),
      onResponseStart: (_c, status) => calls.push(`head ${status}`),
      onResponseData: (_c, chunk) => calls.push(`data ${chunk.toString()}`),
      onResponseEnd: () => calls.push('end'),
    }
    new FakeDispatcher().dispatch({ origin: 'http://127.0.0.1:9', path: '/ok', method: 'GET' }, handler)
    expect(calls).toEqual([])
    await Promise.resolve()
    await Promise.resolve()
    expect(calls).toEqual(['start', 'head 200', `data ${OK_BODY}`, 'end'])
  })

  it('stops at an abort with onResponseError, and holds the body while paused', async () => {
    const aborted: unknown[] = []
    const reason = new Error('stop')
    new FakeDispatcher().dispatch(
      { origin: 'http://127.0.0.1:9', path: '/ok', method: 'GET' },
      {
        onRequestStart: (c) => c.abort(reason),
        onResponseStart: () => aborted.push('head'),
        onResponseError: (_c, e) => aborted.push(e),
      },
    )
    await new Promise((r) => setImmediate(r))
    expect(aborted).toEqual([reason])

    const seen: string[] = []
    let resume = (): void => {}
    new FakeDispatcher().dispatch(
      { origin: 'http://127.0.0.1:9', path: '/ok', method: 'GET' },
      {
        onRequestStart: () => {},
        onResponseStart: (c) => {
          c.pause()
          resume = () => c.resume()
        },
        onResponseData: () => seen.push('data'),
        onResponseEnd: () => seen.push('end'),
      },
    )
    await new Promise((r) => setImmediate(r))
    expect(seen).toEqual([])
    resume()
    expect(seen).toEqual(['data', 'end'])
  })
})
