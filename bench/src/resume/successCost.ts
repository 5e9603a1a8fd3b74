/**
 * What resume costs a response that is not cut, in process (no sockets, so the machine's other
 * load disturbs it less): CPU time per request of each adapter with `resume: false`, with resume
 * on and a response without a validator, and with resume on and a resumable response (a strong
 * `ETag`, 256 KiB, read to its end) — the one that is wrapped. Interleaved rounds (the overhead
 * benchmark's `interleavedRounds`: one warm-up batch per variant, the order rotated each round); medians.
 */
import { Readable } from 'node:stream'
import { installRedress } from '@redress/axios'
import { httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'
import { redressInterceptor } from '@redress/undici'
import axios, { type AxiosAdapter } from 'axios'
import type { Dispatcher } from 'undici'
import { interleavedRounds, type TimedVariant } from '../overhead/interleavedRounds.ts'
import { median } from '../overhead/median.ts'

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
    const variants = Object.entries({
      'resume: false': make(false, TAGGED),
      'resume on, no validator': make(true, PLAIN),
      'resume on, strong ETag (wrapped)': make(true, TAGGED),
    }).map(
      ([name, send]): TimedVariant => ({
        name,
        kind: 'redress',
        batch: async (ops) => {
          for (let i = 0; i < ops; i++) await send()
        },
      }),
    )
    const costs = await interleavedRounds(variants, rounds, perRound)
    result[client] = Object.fromEntries(costs.map((c) => [c.variant, median(c.cpuNsPerOp) / 1000]))
  }
  return result
}
