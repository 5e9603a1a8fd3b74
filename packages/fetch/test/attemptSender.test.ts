import { describe, expect, it } from 'vitest'
import { attemptSender, oneShotBodyOf } from '../src/attemptSender.ts'

function recorder() {
  const inits: Array<RequestInit & { duplex?: string }> = []
  const baseFetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    inits.push(init ?? {})
    return new Response('ok')
  }) as typeof fetch
  return { inits, baseFetch }
}

describe('attemptSender', () => {
  it('hands a stream to fetch once, with duplex half, and reports the body one-shot', async () => {
    const { inits, baseFetch } = recorder()
    const body = new Blob(['x']).stream()
    const init = { method: 'PUT', body }
    const oneShot = oneShotBodyOf(init, undefined)
    expect(oneShot).toEqual({ body, ofRequest: false })
    const prepared = await attemptSender(
      {
        baseFetch,
        input: 'https://example.test/',
        init,
        request: undefined,
        maxBufferedBodyBytes: 0,
        signal: undefined,
      },
      { body, ofRequest: false },
    )
    expect(prepared.oneShotBody).toBe(true)
    await prepared.send(new AbortController().signal)
    expect(inits[0]).toMatchObject({ body, duplex: 'half' })
    await expect(prepared.send(new AbortController().signal)).rejects.toThrow(/already sent; it cannot be sent again/)
    expect(inits).toHaveLength(1)
  })

  it('reads a stream that fits into memory and sends the same bytes on every attempt', async () => {
    const { inits, baseFetch } = recorder()
    const body = new Blob(['same']).stream()
    const prepared = await attemptSender(
      {
        baseFetch,
        input: 'https://example.test/',
        init: { method: 'PUT', body },
        request: undefined,
        maxBufferedBodyBytes: 1024,
        signal: undefined,
      },
      { body, ofRequest: false },
    )
    expect(prepared.oneShotBody).toBe(false)
    const signals = [new AbortController().signal, new AbortController().signal]
    for (const signal of signals) await prepared.send(signal)
    expect(inits.map((init) => [new TextDecoder().decode(init.body as Uint8Array), init.signal])).toEqual(
      signals.map((signal) => ['same', signal]),
    )
  })

  it('finds no one-shot body in a string, bytes, a Blob or no body at all', () => {
    for (const body of ['same', new Uint8Array([1]), new Blob(['x']), null]) {
      expect(oneShotBodyOf({ method: 'PUT', body }, undefined)).toBeUndefined()
    }
    expect(oneShotBodyOf({ method: 'PUT' }, undefined)).toBeUndefined()
    expect(oneShotBodyOf(undefined, undefined)).toBeUndefined()
  })

  it("takes a Request's body only when init.body does not replace it", () => {
    const request = new Request('https://example.test/', { method: 'PUT', body: 'from the request' })
    expect(oneShotBodyOf(undefined, request)).toEqual({ body: request.body, ofRequest: true })
    expect(oneShotBodyOf({ body: 'replaced' }, request)).toBeUndefined()
    const stream = new Blob(['x']).stream()
    expect(oneShotBodyOf({ body: stream }, request)).toEqual({ body: stream, ofRequest: false })
    expect(oneShotBodyOf(undefined, new Request('https://example.test/'))).toBeUndefined()
  })

  it('sends a Request whose body is longer than the limit once, as it is, its body whole', async () => {
    const sent: string[] = []
    const baseFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push(init?.body === undefined ? await (input as Request).text() : 'init.body')
      return new Response('ok')
    }) as typeof fetch
    const text = 'x'.repeat(10_000)
    const request = new Request('https://example.test/', { method: 'PUT', body: text })
    const prepared = await attemptSender(
      { baseFetch, input: request, init: undefined, request, maxBufferedBodyBytes: 100, signal: undefined },
      { body: request.body as object, ofRequest: true },
    )
    expect(prepared.oneShotBody).toBe(true)
    await prepared.send(new AbortController().signal)
    expect(sent).toEqual([text])
    await expect(prepared.send(new AbortController().signal)).rejects.toThrow(/already sent/)
  })

  it('reads a Request body that fits through a clone and sends its bytes on every attempt', async () => {
    const { inits, baseFetch } = recorder()
    const request = new Request('https://example.test/', { method: 'PATCH', body: '{"a":1}' })
    const prepared = await attemptSender(
      { baseFetch, input: request, init: undefined, request, maxBufferedBodyBytes: 100, signal: undefined },
      { body: request.body as object, ofRequest: true },
    )
    expect(prepared.oneShotBody).toBe(false)
    await prepared.send(new AbortController().signal)
    await prepared.send(new AbortController().signal)
    expect(inits.map((init) => new TextDecoder().decode(init.body as Uint8Array))).toEqual(['{"a":1}', '{"a":1}'])
  })
})
