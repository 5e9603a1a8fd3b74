import { Agent as HttpAgent } from 'node:http'
import { installRedress } from '@redress/axios'
import { decorrelatedJitter, RetryPolicy, retryAfterOr } from '@redress/core'
import { httpClassifier, httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'
import { redressInterceptor } from '@redress/undici'
import axios from 'axios'
import { Agent, request } from 'undici'
import type { TimingResult } from './TimingResult.ts'

// Child process: `node timingRunner.mjs <origin> <samples>`. Measures, per adapter, how late
// a retry after `Retry-After: 1` reaches the server, and how fast an abort ends a pending
// 10 s backoff. Prints the results as JSON.

const [origin = '', samplesArg] = process.argv.slice(2)
const samples = Number(samplesArg)
// Samples run this many at a time, to keep the run short; each has its own connection.
const PARALLEL = 4

type Send = (path: string, signal?: AbortSignal) => Promise<number>

// No budget: twenty 429s in a row would drain a per-origin TokenBudget and stop retrying.
const noJitter = (): RetryPolicy =>
  new RetryPolicy({
    classifier: httpClassifier,
    strategy: retryAfterOr(decorrelatedJitter(), { jitterMs: 0 }),
    maxAttempts: 3,
  })
const defaults = (): RetryPolicy => httpPolicy({ budget: null })

const adapters: { name: string; make: (policy: RetryPolicy) => Send }[] = [
  {
    name: 'redressInterceptor (undici request)',
    make: (policy) => {
      const dispatcher = new Agent({ connections: PARALLEL }).compose(redressInterceptor({ policy }))
      return async (path, signal) => {
        const res = await request(`${origin}${path}`, signal === undefined ? { dispatcher } : { dispatcher, signal })
        await res.body.text()
        return res.statusCode
      }
    },
  },
  {
    name: 'redressFetch (global fetch)',
    make: (policy) => {
      const f = redressFetch({ policy })
      return async (path, signal) => {
        const res = await f(`${origin}${path}`, signal === undefined ? {} : { signal })
        await res.text()
        return res.status
      }
    },
  },
  {
    name: 'installRedress (axios)',
    make: (policy) => {
      const api = axios.create({ httpAgent: new HttpAgent({ keepAlive: true }), validateStatus: () => true })
      installRedress(api, { policy })
      return async (path, signal) => (await api.get(`${origin}${path}`, signal === undefined ? {} : { signal })).status
    },
  },
]

async function inBatches(n: number, one: (i: number) => Promise<number | undefined>): Promise<number[]> {
  const out: number[] = []
  for (let start = 0; start < n; start += PARALLEL) {
    const batch = await Promise.all(Array.from({ length: Math.min(PARALLEL, n - start) }, (_, k) => one(start + k)))
    for (const v of batch) if (v !== undefined) out.push(v)
  }
  return out
}

async function lateness(send: Send, prefix: string): Promise<number[]> {
  return inBatches(samples, async (i) => {
    const id = `${prefix}-${i}`
    await send(`/retry-after/${id}`)
    const res = await request(`${origin}/lateness/${id}`)
    const value: unknown = await res.body.json()
    return typeof value === 'number' ? value : undefined
  })
}

// The abort comes 200 ms into the run: long after the 503 arrived and the 10 s sleep began.
async function abortLatency(send: Send): Promise<number[]> {
  return inBatches(samples, async () => {
    const controller = new AbortController()
    let settledEarly = false
    let abortedAt = 0
    const done = send('/unavailable', controller.signal).then(
      () => {
        settledEarly = abortedAt === 0
        return performance.now()
      },
      () => performance.now(),
    )
    await new Promise((r) => setTimeout(r, 200))
    abortedAt = performance.now()
    controller.abort()
    const end = await done
    return settledEarly ? undefined : end - abortedAt
  })
}

const results: TimingResult[] = []
for (const a of adapters) {
  const tag = a.name.split(' ')[0] ?? a.name
  results.push({
    adapter: a.name,
    latenessNoJitterMs: await lateness(a.make(noJitter()), `${tag}-nojitter`),
    latenessDefaultMs: await lateness(a.make(defaults()), `${tag}-default`),
    abortMs: await abortLatency(a.make(noJitter())),
  })
}
process.stdout.write(`${JSON.stringify(results)}\n`)
process.exit(0)
