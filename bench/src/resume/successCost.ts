/**
 * What resume costs a response that is not cut, in process (no sockets, so the machine's other
 * load disturbs it less): CPU time per request of each adapter with `resume: false`, with resume
 * on and a response without a validator, and with resume on and a resumable response (a strong
 * `ETag`, 256 KiB, read to its end) — the one that is wrapped. Interleaved rounds; medians.
 */
import { Readable } from 'node:stream'
import { installRedress } from '@redress/axios'
import { httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'
import { redressInterceptor } from '@redress/undici'
import axios, { type AxiosAdapter } from 'axios'
import type { Dispatcher } from 'undici'

const BODY_BYTES = 256 * 1024
const CHUNK = Buffer.alloc(64 * 1024, 7)
const CHUNKS = BODY_BYTES / CHUNK.length
const TAGGED: Record<string, string> = { etag: '"v1"', 'content-length': String(BODY_BYTES) }
const PLAIN: Record<string, string> = { 'content-length': String(BODY_BYTES) }

/** One request of a variant, its body read to the end. */
type Send = () => Promise<void>

function fetchVariant(resume: boolean, headers: Record<string, string>): Send {
  const base = async (): Promise<Response> =>
    new Response(
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < CHUNKS; i++) controller.enqueue(new Uint8Array(CHUNK))
          controller.close()
        },
      }),
      { headers },
    )
  const f = redressFetch({ fetch: base as typeof fetch, policy: httpPolicy(), resume })
  return async () => {
    await (await f('http://bench.test/file')).arrayBuffer()
  }
}

function undiciVariant(resume: boolean, headers: Record<string, string>): Send {
  const controller = {
    aborted: false,
    paused: false,
    reason: null,
    abort() {},
    pause() {},
    resume() {},
  } as unknown as Dispatcher.DispatchController
  const bottom: Dispatcher.Dispatch = (_opts, handler) => {
    Promise.resolve().then(() => {
      handler.onRequestStart?.(controller, {})
      handler.onResponseStart?.(controller, 200, headers, 'OK')
      for (let i = 0; i < CHUNKS; i++) handler.onResponseData?.(controller, CHUNK)
      handler.onResponseEnd?.(controller, {})
    })
    return true
  }
  const dispatch = redressInterceptor({ policy: httpPolicy(), resume })(bottom)
  return () =>
    new Promise<void>((resolve, reject) => {
      let bytes = 0
      dispatch({ origin: 'http://bench.test', path: '/file', method: 'GET' }, {
        onResponseData: (_c, chunk) => {
          bytes += chunk.length
        },
        onResponseEnd: () => (bytes === BODY_BYTES ? resolve() : reject(new Error('short'))),
        onResponseError: (_c, error) => reject(error),
      } as Dispatcher.DispatchHandler)
    })
}

function axiosVariant(resume: boolean, headers: Record<string, string>): Send {
  const raw = Object.entries(headers).flat()
  const adapter: AxiosAdapter = async (config) => ({
    status: 200,
    statusText: 'OK',
    headers,
    config,
    request: { res: { rawHeaders: raw } },
    data: Readable.from(Array.from({ length: CHUNKS }, () => CHUNK)),
  })
  const api = axios.create({ adapter, responseType: 'stream' })
  installRedress(api, { policy: httpPolicy(), resume })
  return async () => {
    const res = await api.get<Readable>('http://bench.test/file')
    for await (const _chunk of res.data);
  }
}

/** CPU µs per request of each variant: the median over interleaved rounds. */
export async function successCost(rounds = 15, perRound = 300): Promise<Record<string, Record<string, number>>> {
  const clients = {
    fetch: fetchVariant,
    undici: undiciVariant,
    'axios (stream)': axiosVariant,
  }
  const result: Record<string, Record<string, number>> = {}
  for (const [client, make] of Object.entries(clients)) {
    const variants: Record<string, Send> = {
      'resume: false': make(false, TAGGED),
      'resume on, no validator': make(true, PLAIN),
      'resume on, strong ETag (wrapped)': make(true, TAGGED),
    }
    const samples: Record<string, number[]> = {}
    for (let round = -1; round < rounds; round++) {
      const names = Object.keys(variants)
      const order = names.map((_, i) => names[(i + round + 1) % names.length] as string)
      for (const name of order) {
        const send = variants[name] as Send
        const before = process.cpuUsage()
        for (let i = 0; i < perRound; i++) await send()
        const used = process.cpuUsage(before)
        // The first round warms up the JIT: not counted.
        if (round < 0) continue
        const list = samples[name] ?? []
        list.push((used.user + used.system) / perRound)
        samples[name] = list
      }
    }
    result[client] = Object.fromEntries(Object.entries(samples).map(([name, s]) => [name, median(s)]))
  }
  return result
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] ?? 0) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2
}
