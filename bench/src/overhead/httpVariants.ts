import { Agent as HttpAgent } from 'node:http'
import { installRedress } from '@redress/axios'
import { httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'
import { redressInterceptor } from '@redress/undici'
import axios from 'axios'
import axiosRetry from 'axios-retry'
import fetchRetry from 'fetch-retry'
import ky from 'ky'
import * as rax from 'retry-axios'
import { Agent, interceptors, request } from 'undici'
import type { ClientFamily } from './ClientFamily.ts'
import type { HttpVariant } from './HttpVariant.ts'
import { installPassThrough, passThroughFetch, passThroughInterceptor } from './passThrough.ts'

/**
 * The second redress fetch row: a policy with no deadline, so no attempt can be cut and nothing
 * is made per request to cut it — what keeping the deadline's abort costs fetch, side by side.
 * Targets judge the first redress row (`redressFetch()`, with the deadline).
 */
export const NO_DEADLINE_FETCH = 'redressFetch(), no deadline'

/**
 * The variants of one client family against `origin`, all sharing one keep-alive pool of
 * `connections` sockets, so they differ only by the middleware: the raw client, the client
 * behind a do-nothing layer (see `passThrough.ts`), redress, and the peers. Every middleware runs with
 * its defaults (retries on); every request succeeds, so this is the success path.
 */
export function httpVariants(family: ClientFamily, origin: string, connections: number): HttpVariant[] {
  const url = `${origin}/ok`
  switch (family) {
    case 'undici': {
      const agent = new Agent({ connections, keepAliveTimeout: 60_000, pipelining: 1 })
      const viaPassThrough = agent.compose(passThroughInterceptor)
      const viaRedress = agent.compose(redressInterceptor())
      const viaUndiciRetry = agent.compose(interceptors.retry())
      const via = (dispatcher: Agent | ReturnType<Agent['compose']>) => async (): Promise<void> => {
        const res = await request(url, { dispatcher })
        await res.body.text()
      }
      return [
        { name: 'undici request', kind: 'raw', send: via(agent) },
        { name: 'pass-through interceptor', kind: 'passthrough', send: via(viaPassThrough) },
        { name: 'redressInterceptor()', kind: 'redress', send: via(viaRedress) },
        { name: 'interceptors.retry()', kind: 'peer', send: via(viaUndiciRetry) },
      ]
    }
    case 'fetch': {
      // Node's global fetch on its default global dispatcher (keep-alive). undici 7's own
      // fetch cannot take ky's requests: ky builds a global `Request`, a different class.
      const base = globalThis.fetch
      const wrapped = redressFetch({ fetch: base })
      const withoutDeadline = redressFetch({ fetch: base, policy: httpPolicy({ deadlineMs: Infinity }) })
      const withFetchRetry = fetchRetry(base)
      const api = ky.create({ fetch: base })
      const viaFetch = (f: typeof fetch) => async (): Promise<void> => {
        const res = await f(url)
        await res.text()
      }
      return [
        { name: 'fetch (global)', kind: 'raw', send: viaFetch(base) },
        { name: 'pass-through wrapper', kind: 'passthrough', send: viaFetch(passThroughFetch(base)) },
        { name: 'redressFetch()', kind: 'redress', send: viaFetch(wrapped) },
        { name: NO_DEADLINE_FETCH, kind: 'redress', send: viaFetch(withoutDeadline) },
        { name: 'fetch-retry', kind: 'peer', send: viaFetch(withFetchRetry) },
        {
          name: 'ky (its own retry)',
          kind: 'peer',
          send: async (): Promise<void> => {
            await api.get(url).text()
          },
        },
      ]
    }
    case 'axios': {
      const create = () =>
        axios.create({ httpAgent: new HttpAgent({ keepAlive: true, maxSockets: connections }), responseType: 'text' })
      const plain = create()
      const passThrough = create()
      installPassThrough(passThrough)
      const redressed = create()
      installRedress(redressed)
      const withAxiosRetry = create()
      axiosRetry(withAxiosRetry)
      const withRax = create()
      // retry-axios 4 retries through the instance it was attached to: no raxConfig needed.
      rax.attach(withRax)
      const via = (instance: ReturnType<typeof create>) => async (): Promise<void> => {
        await instance.get(url)
      }
      return [
        { name: 'axios', kind: 'raw', send: via(plain) },
        { name: 'pass-through interceptor', kind: 'passthrough', send: via(passThrough) },
        { name: 'installRedress()', kind: 'redress', send: via(redressed) },
        { name: 'axios-retry', kind: 'peer', send: via(withAxiosRetry) },
        { name: 'retry-axios', kind: 'peer', send: via(withRax) },
      ]
    }
  }
}
