import { httpPolicy } from '@redress/core/http'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { redressFetch } from '../src/redressFetch.ts'
import { MAX_DRAIN_BYTES, MAX_DRAIN_MS, releaseResponse } from '../src/releaseResponse.ts'

/** A body that records whether it was read to its end or cancelled. */
function trackedResponse(size: number, declareLength: boolean) {
  const state = { pulled: 0, cancelled: false, finished: false }
  const chunk = new Uint8Array(1024)
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (state.pulled >= size) {
        state.finished = true
        controller.close()
        return
      }
      state.pulled += chunk.byteLength
      controller.enqueue(chunk)
    },
    cancel() {
      state.cancelled = true
    },
  })
  const headers: Record<string, string> = declareLength ? { 'content-length': String(size) } : {}
  return { response: new Response(body, { status: 503, headers }), state }
}

const settle = () => new Promise<void>((resolve) => setImmediate(resolve))

afterEach(() => {
  vi.useRealTimers()
})

describe('releaseResponse', () => {
  it('reads a small body to its end, so the socket can be reused', async () => {
    const { response, state } = trackedResponse(4 * 1024, false)
    releaseResponse(response)
    for (let i = 0; i < 20 && !state.finished; i++) await settle()
    expect(state).toMatchObject({ finished: true, cancelled: false })
  })

  it('cancels a body whose declared length is above MAX_DRAIN_BYTES without reading it', async () => {
    const { response, state } = trackedResponse(MAX_DRAIN_BYTES + 1, true)
    releaseResponse(response)
    await settle()
    expect(state.cancelled).toBe(true)
    expect(state.pulled).toBeLessThanOrEqual(1024)
  })

  it('stops reading and cancels an undeclared body once it passes MAX_DRAIN_BYTES', async () => {
    const { response, state } = trackedResponse(10 * MAX_DRAIN_BYTES, false)
    releaseResponse(response)
    for (let i = 0; i < 200 && !state.cancelled; i++) await settle()
    expect(state.cancelled).toBe(true)
    expect(state.pulled).toBeLessThanOrEqual(MAX_DRAIN_BYTES + 2 * 1024)
  })

  it('cancels a small body that is still arriving after MAX_DRAIN_MS, not before', async () => {
    vi.useFakeTimers()
    const state = { cancelled: false, pulled: 0 }
    // One byte, then nothing: a trickle that stays under any byte bound.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (state.pulled++ === 0) controller.enqueue(new Uint8Array(1))
        return new Promise<void>(() => {})
      },
      cancel() {
        state.cancelled = true
      },
    })
    releaseResponse(new Response(body, { status: 503, headers: { 'content-length': '100' } }))
    await vi.advanceTimersByTimeAsync(MAX_DRAIN_MS - 1)
    expect(state.cancelled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(state.cancelled).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('leaves no timer behind once a small body has been drained', async () => {
    vi.useFakeTimers()
    const { response, state } = trackedResponse(2 * 1024, false)
    releaseResponse(response)
    for (let i = 0; i < 20 && !state.finished; i++) await vi.advanceTimersByTimeAsync(0)
    expect(state).toMatchObject({ finished: true, cancelled: false })
    expect(vi.getTimerCount()).toBe(0)
  })

  it('leaves a body already read alone and never throws', async () => {
    const response = new Response('done')
    await response.text()
    expect(() => releaseResponse(response)).not.toThrow()
    // A body already read (or locked by a reader) must be neither read nor cancelled again.
    const touched: string[] = []
    const body = {
      locked: false,
      getReader: () => touched.push('getReader'),
      cancel: async () => void touched.push('cancel'),
    }
    releaseResponse({ bodyUsed: true, body, headers: new Headers() })
    releaseResponse({ bodyUsed: false, body: { ...body, locked: true }, headers: new Headers() })
    expect(touched).toEqual([])
    for (const value of [undefined, null, 42, 'x', {}, new Response(null)]) {
      expect(() => releaseResponse(value)).not.toThrow()
    }
  })

  it('releases every discarded response before the sleep, and never the one handed back', async () => {
    const responses: Response[] = []
    const usedAtSleep: boolean[][] = []
    const policy = httpPolicy({
      sleeper: async () => {
        usedAtSleep.push(responses.map((r) => r.bodyUsed))
      },
    })
    const wrapped = redressFetch({
      policy,
      fetch: async () => {
        const response = new Response(`attempt ${responses.length + 1}`, { status: 503 })
        responses.push(response)
        return response
      },
    })
    const last = await wrapped('https://example.test/')
    expect(usedAtSleep).toEqual([[true], [true, true]])
    expect(last).toBe(responses[2])
    expect(await last.text()).toBe('attempt 3')
  })
})
