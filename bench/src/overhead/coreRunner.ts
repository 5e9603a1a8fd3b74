import { PerformanceObserver } from 'node:perf_hooks'
import { RetryPolicy } from '@redress/core'
import { handleAll, retry } from 'cockatiel'
import pRetry from 'p-retry'
import type { CoreResult } from './CoreRoundResult.ts'

// Child process: `node --expose-gc --max-semi-space-size=64 coreRunner.mjs <rounds> <calls> [only]`.
// The success path of each retry wrapper around an async function that resolves at once,
// against awaiting the function bare. Prints the results as JSON.

const [roundsArg, callsArg, only] = process.argv.slice(2)
const rounds = Number(roundsArg)
const calls = Number(callsArg)

const fn = async (): Promise<number> => 1
const policy = new RetryPolicy()
const cockatielPolicy = retry(handleAll, { maxAttempts: 3 })

const variants: { name: string; call: () => Promise<unknown> }[] = [
  { name: 'bare await fn()', call: () => fn() },
  { name: 'redress policy.call', call: () => policy.call(fn) },
  { name: 'cockatiel retry().execute', call: () => cockatielPolicy.execute(fn) },
  { name: 'p-retry', call: () => pRetry(fn, { retries: 3 }) },
].filter((v) => only === undefined || v.name === only)

async function loop(call: () => Promise<unknown>, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await call()
}

async function timePerCall(call: () => Promise<unknown>, n: number): Promise<number> {
  const t0 = process.hrtime.bigint()
  await loop(call, n)
  return Number(process.hrtime.bigint() - t0) / n
}

// Counts collections, so an allocation sample with a GC inside it is thrown away.
let collections = 0
new PerformanceObserver((list) => {
  collections += list.getEntries().length
}).observe({ entryTypes: ['gc'] })

const gc = (globalThis as { gc?: () => void }).gc
async function bytesPerCall(call: () => Promise<unknown>, n: number): Promise<number | undefined> {
  if (gc === undefined) return undefined
  gc()
  // The observer reports asynchronously: let the forced collection's entry arrive first.
  await new Promise((r) => setTimeout(r, 5))
  const before = collections
  const h0 = process.memoryUsage().heapUsed
  await loop(call, n)
  const h1 = process.memoryUsage().heapUsed
  await new Promise((r) => setTimeout(r, 5))
  return collections === before ? (h1 - h0) / n : undefined
}

for (const v of variants) await loop(v.call, calls)
const times = new Map<string, number[]>(variants.map((v) => [v.name, []]))
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(round + k) % variants.length]
    if (v !== undefined) times.get(v.name)?.push(await timePerCall(v.call, calls))
  }
}
const results: CoreResult[] = []
for (const v of variants) {
  const bytes: number[] = []
  for (let rep = 0; rep < 5; rep++) {
    const b = await bytesPerCall(v.call, 10_000)
    if (b !== undefined) bytes.push(b)
  }
  results.push({ variant: v.name, nsPerCall: times.get(v.name) ?? [], bytesPerCall: bytes })
}
process.stdout.write(`${JSON.stringify(results)}\n`)
process.exit(0)
