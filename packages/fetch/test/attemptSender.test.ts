import type { HttpAttemptRequest } from '@redress/core/http'
import { describe, expect, it } from 'vitest'
import { attemptSender } from '../src/attemptSender.ts'

function recorder() {
  const inits: Array<RequestInit & { duplex?: string }> = []
  const baseFetch = (async (_input: RequestInfo | URL, init?: RequestInit) => {
    inits.push(init ?? {})
    return new Response('ok')
  }) as typeof fetch
  return { inits, baseFetch }
}

const facts = (): HttpAttemptRequest => ({
  method: 'PUT',
  url: new URL('https://example.test/'),
  headers: undefined,
  bodyReplayable: true,
})

describe('attemptSender', () => {
  it('hands a stream to fetch once, with duplex half, then marks the body not replayable', async () => {
    const { inits, baseFetch } = recorder()
    const request = facts()
    const body = new Blob(['x']).stream()
    const send = await attemptSender({
      baseFetch,
      input: 'https://example.test/',
      init: { method: 'PUT', body },
      request: undefined,
      facts: request,
      maxBufferedBodyBytes: 0,
      signal: undefined,
    })
    expect(request.bodyReplayable).toBe(true)
    await send(new AbortController().signal)
    expect(request.bodyReplayable).toBe(false)
    expect(inits[0]).toMatchObject({ body, duplex: 'half' })
    await expect(send(new AbortController().signal)).rejects.toThrow(/already sent; it cannot be sent again/)
    expect(inits).toHaveLength(1)
  })

  it('passes a replayable body to every attempt and keeps it replayable', async () => {
    const { inits, baseFetch } = recorder()
    const request = facts()
    const send = await attemptSender({
      baseFetch,
      input: 'https://example.test/',
      init: { method: 'PUT', body: 'same' },
      request: undefined,
      facts: request,
      maxBufferedBodyBytes: 0,
      signal: undefined,
    })
    const signals = [new AbortController().signal, new AbortController().signal]
    for (const signal of signals) await send(signal)
    expect(inits.map((init) => [init.body, init.signal])).toEqual(signals.map((signal) => ['same', signal]))
    expect(request.bodyReplayable).toBe(true)
  })
})
