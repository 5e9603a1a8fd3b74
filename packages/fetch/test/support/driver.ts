import type { AdapterDriver, ConformanceRequest } from '@redress/test-support'
import { Agent, fetch as undiciFetch } from 'undici'
import { redressFetch } from '../../src/redressFetch.ts'

/** The request as fetch takes it; a one-shot body is a `ReadableStream`, sent with `duplex: 'half'`. */
function initOf(request: ConformanceRequest): RequestInit {
  const body =
    request.body === undefined
      ? undefined
      : request.body.kind === 'text'
        ? request.body.text
        : new Blob([...request.body.chunks]).stream()
  return {
    method: request.method,
    ...(request.headers === undefined ? {} : { headers: request.headers }),
    ...(body === undefined ? {} : { body, duplex: 'half' }),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
    ...(request.redress === undefined ? {} : { redress: request.redress }),
  } as RequestInit
}

/**
 * How the shared suites (`adapterConformance`, `hedgeConformance`, `hostileUpstreamConformance`)
 * drive `redressFetch`: on Node's global fetch, or on undici's fetch with an Agent of `connections`
 * when a scenario needs a pool of its own; without `redress`, the same fetch alone.
 */
export const driver: AdapterDriver = {
  name: 'redressFetch',
  makeClient: ({ origin, redress, connections }) => {
    const agent = connections === undefined ? undefined : new Agent({ connections, keepAliveTimeout: 60_000 })
    const transport: typeof fetch =
      agent === undefined
        ? globalThis.fetch
        : (((input: RequestInfo | URL, init?: RequestInit) =>
            undiciFetch(input as string, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch)
    const wrapped = redress === undefined ? transport : redressFetch({ ...redress, fetch: transport })
    return {
      send: async (request) => {
        const response = await wrapped(`${origin}${request.path}`, initOf(request))
        return { status: response.status, body: await response.text() }
      },
      close: async () => agent?.destroy(),
    }
  },
}
