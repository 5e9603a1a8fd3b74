import { installRedress } from '@redress/axios'
import { httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'
import { redressInterceptor } from '@redress/undici'
import axios, { type AxiosAdapter, type AxiosInstance } from 'axios'
import axiosRetry from 'axios-retry'
import fetchRetry from 'fetch-retry'
import ky from 'ky'
import * as rax from 'retry-axios'
import { interceptors, request, setGlobalDispatcher } from 'undici'
import type { ClientFamily } from './ClientFamily.ts'
import { FakeDispatcher } from './FakeDispatcher.ts'
import type { HttpVariant } from './HttpVariant.ts'
import { NO_DEADLINE_FETCH } from './httpVariants.ts'
import { OK_BODY } from './okBody.ts'
import { installPassThrough, passThroughFetch, passThroughInterceptor } from './passThrough.ts'

// Never connected to: every transport below answers in-process. A real origin all the same,
// so code that parses the URL or keys a budget by origin does what it does in production.
// Port 65535: fetch refuses "bad ports" such as 9 (discard) before any dispatcher sees them.
const URL_OK = 'http://127.0.0.1:65535/ok'
const CONTENT_LENGTH = String(Buffer.byteLength(OK_BODY))

/** An axios adapter that resolves every request with a `200` and the body as text, in-process. */
const fakeAdapter: AxiosAdapter = async (config) => ({
  data: OK_BODY,
  status: 200,
  statusText: 'OK',
  headers: { 'content-type': 'application/json', 'content-length': CONTENT_LENGTH },
  config,
  request: {},
})

/**
 * The variants of one client family against a fake transport (no sockets, no server):
 * undici on a {@link FakeDispatcher}, Node's `fetch` with one as the global dispatcher,
 * axios with an `adapter` that resolves at once. What is left to measure is the client's
 * own request handling and the middleware's, so the difference to the pass-through row
 * is the middleware's own CPU and allocation per request.
 */
export function fakeTransportVariants(family: ClientFamily): HttpVariant[] {
  switch (family) {
    case 'undici': {
      const fake = new FakeDispatcher()
      const via = (dispatcher: FakeDispatcher | ReturnType<FakeDispatcher['compose']>) => async (): Promise<void> => {
        const res = await request(URL_OK, { dispatcher })
        await res.body.text()
      }
      return [
        { name: 'fake dispatcher', kind: 'raw', send: via(fake) },
        { name: 'pass-through interceptor', kind: 'passthrough', send: via(fake.compose(passThroughInterceptor)) },
        { name: 'redressInterceptor()', kind: 'redress', send: via(fake.compose(redressInterceptor())) },
        { name: 'interceptors.retry()', kind: 'peer', send: via(fake.compose(interceptors.retry())) },
      ]
    }
    case 'fetch': {
      // Node's own fetch (what a Node service calls), on an in-process dispatcher: the global
      // one for this process, so redress takes the path it takes in production (a per-attempt
      // dispatcher wrapper, no AbortSignal).
      setGlobalDispatcher(new FakeDispatcher())
      const base = globalThis.fetch
      const api = ky.create({ fetch: base })
      const via = (f: typeof fetch) => async (): Promise<void> => {
        const res = await f(URL_OK)
        await res.text()
      }
      return [
        { name: 'fetch (global)', kind: 'raw', send: via(base) },
        { name: 'pass-through wrapper', kind: 'passthrough', send: via(passThroughFetch(base)) },
        { name: 'redressFetch()', kind: 'redress', send: via(redressFetch({ fetch: base })) },
        {
          name: NO_DEADLINE_FETCH,
          kind: 'redress',
          send: via(redressFetch({ fetch: base, policy: httpPolicy({ deadlineMs: Infinity }) })),
        },
        { name: 'fetch-retry', kind: 'peer', send: via(fetchRetry(base)) },
        {
          name: 'ky (its own retry)',
          kind: 'peer',
          send: async (): Promise<void> => {
            await api.get(URL_OK).text()
          },
        },
      ]
    }
    case 'axios': {
      const create = (install?: (instance: AxiosInstance) => unknown): AxiosInstance => {
        const instance = axios.create({ adapter: fakeAdapter, responseType: 'text' })
        install?.(instance)
        return instance
      }
      const via = (instance: AxiosInstance) => async (): Promise<void> => {
        await instance.get(URL_OK)
      }
      return [
        { name: 'fake adapter', kind: 'raw', send: via(create()) },
        { name: 'pass-through interceptor', kind: 'passthrough', send: via(create(installPassThrough)) },
        { name: 'installRedress()', kind: 'redress', send: via(create((i) => installRedress(i))) },
        { name: 'axios-retry', kind: 'peer', send: via(create((i) => axiosRetry(i))) },
        { name: 'retry-axios', kind: 'peer', send: via(create((i) => rax.attach(i))) },
      ]
    }
  }
}
