import { Readable } from 'node:stream'
import type { AdapterDriver, ConformanceBody } from '@redress/test-support'
import { Agent, request } from 'undici'
import { redressInterceptor } from '../../src/redressInterceptor.ts'

/** A one-shot body is a `Readable`. */
function bodyOf(body: ConformanceBody | undefined): string | Readable | undefined {
  if (body === undefined) return undefined
  return body.kind === 'text' ? body.text : Readable.from(body.chunks.map((chunk) => Buffer.from(chunk)))
}

/**
 * How the shared suites (`adapterConformance`, `hedgeConformance`, `hostileUpstreamConformance`)
 * drive `redressInterceptor`: `undici.request` on an Agent composed with the interceptor (without
 * `redress`, the Agent alone); `connections` caps its pool per origin.
 */
export const driver: AdapterDriver = {
  name: 'redressInterceptor',
  makeClient: ({ origin, redress, connections }) => {
    const agent = new Agent(connections === undefined ? {} : { connections, keepAliveTimeout: 60_000 })
    const dispatcher = redress === undefined ? agent : agent.compose(redressInterceptor(redress))
    return {
      send: async (r) => {
        const body = bodyOf(r.body)
        const response = await request(`${origin}${r.path}`, {
          dispatcher,
          method: r.method as 'GET',
          ...(r.headers === undefined ? {} : { headers: r.headers }),
          ...(body === undefined ? {} : { body }),
          ...(r.signal === undefined ? {} : { signal: r.signal }),
          ...(r.redress === undefined ? {} : { redress: r.redress }),
        })
        return { status: response.statusCode, body: await response.body.text() }
      },
      close: () => agent.close(),
    }
  },
}
