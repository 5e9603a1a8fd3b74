import { percentile } from '../sim/percentile.ts'
import type { ClientFamily } from './ClientFamily.ts'
import type { HttpRoundResult } from './HttpRoundResult.ts'
import { type HttpVariant, httpVariants } from './httpVariants.ts'

// Child process: `node httpRunner.mjs <family> <origin> <rounds> <requests> <concurrency> [only]`.
// Runs every variant of one client family in interleaved rounds (the order rotates each
// round, so drift in machine load lands on every variant alike) and prints the rounds as JSON.

const [family, origin, roundsArg, requestsArg, concurrencyArg, only] = process.argv.slice(2)
const rounds = Number(roundsArg)
const requests = Number(requestsArg)
const concurrency = Number(concurrencyArg)

async function measure(variant: HttpVariant, total: number): Promise<{ seconds: number; latencies: number[] }> {
  const latencies: number[] = new Array(total)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++
      const t0 = performance.now()
      await variant.send()
      latencies[i] = performance.now() - t0
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, worker))
  return { seconds: (performance.now() - started) / 1000, latencies }
}

const variants = httpVariants(family as ClientFamily, origin ?? '', concurrency).filter(
  (v) => only === undefined || v.name === only,
)
// Warm-up: JIT, connection pools and lazy imports, not recorded.
for (const v of variants) await measure(v, Math.max(200, requests >> 1))

const results: HttpRoundResult[] = []
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(round + k) % variants.length]
    if (v === undefined) continue
    const { seconds, latencies } = await measure(v, requests)
    results.push({
      variant: v.name,
      kind: v.kind,
      round,
      requestsPerSecond: requests / seconds,
      p50Ms: percentile(latencies, 0.5) ?? Number.NaN,
      p99Ms: percentile(latencies, 0.99) ?? Number.NaN,
    })
  }
}
process.stdout.write(`${JSON.stringify(results)}\n`)
process.exit(0)
