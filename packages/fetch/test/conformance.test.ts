import { adapterConformance, type ConformanceBody, type ConformanceRequest } from '@redress/test-support'
import { Agent, fetch as undiciFetch } from 'undici'
import { redressFetch } from '../src/redressFetch.ts'

/** A one-shot body is a `ReadableStream`, sent with `duplex: 'half'`. */
function bodyOf(body: ConformanceBody | undefined): BodyInit | undefined {
  if (body === undefined) return undefined
  return body.kind === 'text' ? body.text : new Blob([...body.chunks]).stream()
}

function initOf(request: ConformanceRequest): RequestInit {
  const body = bodyOf(request.body)
  return {
    method: request.method,
    ...(request.headers === undefined ? {} : { headers: request.headers }),
    ...(body === undefined ? {} : { body, duplex: 'half' }),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
  } as RequestInit
}

// Node's global fetch, or undici's fetch on an Agent of `connections` when the scenario needs a
// pool of its own.
adapterConformance({
  name: 'redressFetch',
  makeClient: ({ origin, redress, connections }) => {
    const agent = connections === undefined ? undefined : new Agent({ connections, keepAliveTimeout: 60_000 })
    const transport: typeof fetch =
      agent === undefined
        ? globalThis.fetch
        : (((input: RequestInfo | URL, init?: RequestInit) =>
            undiciFetch(input as string, { ...(init as object), dispatcher: agent })) as unknown as typeof fetch)
    const wrapped = redressFetch({ ...redress, fetch: transport })
    return {
      send: async (request) => {
        const response = await wrapped(`${origin}${request.path}`, initOf(request))
        return { status: response.status, body: await response.text() }
      },
      close: async () => agent?.destroy(),
    }
  },
})
