import { Agent as HttpAgent } from 'node:http'
import { Readable } from 'node:stream'
import type { AdapterDriver, ConformanceBody, ConformanceClientOptions } from '@redress/test-support'
import axios, { type AxiosInstance, isAxiosError, isCancel } from 'axios'
import { installRedress } from '../../src/installRedress.ts'

/** The axios transports the suites run on. */
type AxiosAdapterName = 'http' | 'fetch'

/** A one-shot body is a `Readable` for the http adapter and a `ReadableStream` for the fetch adapter. */
function bodyOf(adapter: AxiosAdapterName, body: ConformanceBody | undefined): unknown {
  if (body === undefined) return undefined
  if (body.kind === 'text') return body.text
  return adapter === 'http'
    ? Readable.from(body.chunks.map((c) => Buffer.from(c)))
    : new Blob([...body.chunks]).stream()
}

/**
 * An axios instance with redress installed (without `redress`, axios alone). With `connections`, the http adapter gets a keep-alive
 * agent of that many sockets; the fetch adapter runs on Node's global fetch, whose pool has no
 * size this package can set (that needs undici's Agent), so its driver says `sizedPool: false`.
 */
function instance(
  adapter: AxiosAdapterName,
  { origin, redress, connections }: ConformanceClientOptions,
): { api: AxiosInstance; close: () => Promise<void> } {
  const agent =
    adapter === 'http' && connections !== undefined
      ? new HttpAgent({ keepAlive: true, maxSockets: connections })
      : undefined
  const api = axios.create({
    baseURL: origin,
    adapter,
    responseType: 'text',
    ...(agent === undefined ? {} : { httpAgent: agent }),
  })
  if (redress !== undefined) installRedress(api, redress)
  return { api, close: async () => agent?.destroy() }
}

/**
 * How the shared suites (`adapterConformance`, `hedgeConformance`, `hostileUpstreamConformance`)
 * drive `installRedress` on axios's `adapter` transport.
 */
export function driver(adapter: AxiosAdapterName): AdapterDriver {
  return {
    name: `installRedress (axios ${adapter} adapter)`,
    sizedPool: adapter === 'http',
    makeClient: (options) => {
      const { api, close } = instance(adapter, options)
      return {
        send: async (r) => {
          try {
            const response = await api.request({
              method: r.method,
              url: r.path,
              data: bodyOf(adapter, r.body),
              ...(r.headers === undefined ? {} : { headers: { ...r.headers } }),
              ...(r.signal === undefined ? {} : { signal: r.signal }),
              ...(r.redress === undefined ? {} : { redress: r.redress }),
            })
            return { status: response.status, body: String(response.data) }
          } catch (error) {
            // axios rejects on an error status: the response handed back rides on the error.
            if (isAxiosError(error) && error.response !== undefined)
              return { status: error.response.status, body: String(error.response.data) }
            throw error
          }
        },
        close,
      }
    },
    // axios turns a caller's abort into its own CanceledError (ERR_CANCELED), as it does without redress.
    isAbortRejection: (error) => isCancel(error) && (error as { code?: unknown }).code === 'ERR_CANCELED',
  }
}
