import { RetryPolicy } from '@redress/core'
import { handleAll, retry } from 'cockatiel'
import pRetry from 'p-retry'
import { AllocationMeter } from './AllocationMeter.ts'
import type { AllocationResult } from './AllocationResult.ts'
import type { CoreResult } from './CoreResult.ts'
import { catchAndCallAgain, failingOnce, fn } from './coreCalls.ts'
import { interleavedRounds, type TimedVariant } from './interleavedRounds.ts'

// Child process: each retry wrapper around an async function, awaited one call after another,
// against the same function awaited bare: on the success path (`calls` per batch), and on a
// path where every call fails once with a transient error and then succeeds (`failCalls` per
// batch). Two modes, in two processes, because the allocation flags change how often the
// collector runs, and so the timings:
//   node coreRunner.mjs time <rounds> <calls> <failCalls> [only]  → CoreResult[]
//   node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 coreRunner.mjs bytes <calls> <failCalls> <samples>
//                                                                 → AllocationResult[]

const [mode, ...args] = process.argv.slice(2)

const policy = new RetryPolicy()
const failPolicy = new RetryPolicy({ strategy: () => 0 })
const cockatielPolicy = retry(handleAll, { maxAttempts: 3 })

interface CoreVariant {
  readonly name: string
  readonly kind: CoreResult['kind']
  readonly path: CoreResult['path']
  readonly call: () => Promise<unknown>
}
const variants: CoreVariant[] = [
  { name: 'bare await fn()', kind: 'raw', path: 'success', call: () => fn() },
  { name: 'redress policy.call', kind: 'redress', path: 'success', call: () => policy.call(fn) },
  { name: 'cockatiel retry().execute', kind: 'peer', path: 'success', call: () => cockatielPolicy.execute(fn) },
  { name: 'p-retry', kind: 'peer', path: 'success', call: () => pRetry(fn, { retries: 3 }) },
  {
    name: 'bare: catch, call again',
    kind: 'raw',
    path: 'failOnce',
    call: catchAndCallAgain,
  },
  {
    name: 'redress policy.call, fails once then succeeds',
    kind: 'redress',
    path: 'failOnce',
    call: () => failPolicy.call(failingOnce()),
  },
  {
    name: 'cockatiel retry().execute, fails once then succeeds',
    kind: 'peer',
    path: 'failOnce',
    call: () => cockatielPolicy.execute(failingOnce()),
  },
]

const loop =
  (call: () => Promise<unknown>) =>
  async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await call()
  }

let out: unknown
if (mode === 'time') {
  const [rounds, calls, failCalls] = args.slice(0, 3).map(Number)
  const only = args[3]
  const chosen = variants.filter((v) => only === undefined || v.name === only)
  const timed = (path: CoreResult['path']): TimedVariant[] =>
    chosen.filter((v) => v.path === path).map((v) => ({ name: v.name, kind: v.kind, batch: loop(v.call) }))
  const success = await interleavedRounds(timed('success'), rounds ?? 0, calls ?? 0)
  const failOnce = await interleavedRounds(timed('failOnce'), rounds ?? 0, failCalls ?? 0)
  out = [
    ...success.map((c): CoreResult => ({ ...c, path: 'success' })),
    ...failOnce.map((c): CoreResult => ({ ...c, path: 'failOnce' })),
  ]
} else if (mode === 'bytes') {
  const [calls, failCalls, samples] = args.slice(0, 3).map(Number)
  const meter = new AllocationMeter()
  const results: AllocationResult[] = []
  for (const v of variants) {
    const n = (v.path === 'success' ? calls : failCalls) ?? 0
    await loop(v.call)(n)
    results.push({
      variant: v.name,
      kind: v.kind,
      bytesPerOp: await meter.samples(() => loop(v.call)(n), n, samples ?? 0),
    })
  }
  out = results
} else {
  throw new RangeError(`mode must be time or bytes, got ${mode}`)
}
process.stdout.write(`${JSON.stringify(out)}\n`)
process.exit(0)
