import { httpPolicy } from '@redress/core/http'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { redressFetch } from '../src/redressFetch.ts'

const URL_ = 'https://upload.example.test/put'
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

/** What the server received, with a multipart boundary replaced so two serialisations compare equal. */
interface Received {
  readonly contentType: string | null
  readonly body: string
}

function recordingServer(): Received[] {
  const received: Received[] = []
  server.use(
    http.put(URL_, async ({ request }) => {
      const contentType = request.headers.get('content-type')
      const boundary = /boundary=(.+)$/.exec(contentType ?? '')?.[1]
      let body = Buffer.from(await request.arrayBuffer()).toString('latin1')
      if (boundary !== undefined) body = body.replaceAll(boundary, 'BOUNDARY')
      received.push({ contentType: boundary === undefined ? contentType : 'multipart/form-data', body })
      return new HttpResponse(null, { status: received.length === 1 ? 503 : 200 })
    }),
  )
  return received
}

function form(): FormData {
  const data = new FormData()
  data.append('name', 'value')
  data.append('file', new Blob(['file bytes'], { type: 'text/plain' }), 'a.txt')
  return data
}

const replayable: ReadonlyArray<readonly [string, () => BodyInit]> = [
  ['a string', () => 'hello'],
  ['an ArrayBuffer', () => new TextEncoder().encode('bytes').buffer as ArrayBuffer],
  ['a Uint8Array', () => new Uint8Array([1, 2, 3, 250])],
  ['a DataView', () => new DataView(new Uint8Array([9, 8, 7]).buffer)],
  ['a Blob', () => new Blob(['blob'], { type: 'application/x-blob' })],
  ['URLSearchParams', () => new URLSearchParams({ a: '1', b: 'two words' })],
  ['FormData', form],
]

describe('request bodies', () => {
  it.each(replayable)('re-sends %s identically', async (_name, make) => {
    const received = recordingServer()
    const policy = httpPolicy({ sleeper: async () => {} })
    const response = await redressFetch({ policy })(URL_, { method: 'PUT', body: make() })
    expect(response.status).toBe(200)
    expect(received).toHaveLength(2)
    expect(received[1]).toEqual(received[0])
    expect(received[0]?.body.length).toBeGreaterThan(0)
  })

  it('sends an async-iterable body once', async () => {
    const received = recordingServer()
    const policy = httpPolicy({ sleeper: async () => {} })
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield new TextEncoder().encode('one ')
      yield new TextEncoder().encode('two')
    }
    const init = { method: 'PUT', body: chunks() } as unknown as RequestInit
    const response = await redressFetch({ policy })(URL_, init)
    expect(response.status).toBe(503)
    expect(received.map((r) => r.body)).toEqual(['one two'])
  })

  it('buffers an async-iterable body of strings that fits, and re-sends it', async () => {
    const received = recordingServer()
    const policy = httpPolicy({ sleeper: async () => {} })
    async function* chunks(): AsyncGenerator<string> {
      yield 'a'
      yield 'b'
    }
    const init = { method: 'PUT', body: chunks() } as unknown as RequestInit
    const response = await redressFetch({ policy, maxBufferedBodyBytes: 2 })(URL_, init)
    expect(response.status).toBe(200)
    expect(received.map((r) => r.body)).toEqual(['ab', 'ab'])
  })

  it('rejects with the reason when the caller aborts while a body is being buffered', async () => {
    recordingServer()
    const controller = new AbortController()
    const body = new ReadableStream<Uint8Array>({ pull: () => new Promise<void>(() => {}) })
    const pending = redressFetch({ maxBufferedBodyBytes: 100 })(URL_, {
      method: 'PUT',
      body,
      signal: controller.signal,
    })
    controller.abort('cancelled upload')
    await expect(pending).rejects.toBe('cancelled upload')
  })
})
