import { percentile } from '../sim/percentile.ts'
import type { ClientFamily } from './ClientFamily.ts'
import { closedLoop } from './closedLoop.ts'
import type { HttpRoundResult } from './HttpRoundResult.ts'
import { httpVariants } from './httpVariants.ts'
import { timeBatch } from './timeBatch.ts'

// Child process: `node httpRunner.mjs <family> <origin> <rounds> <requests> <concurrency> [only]`.
// Runs every variant of one client family in interleaved rounds (the order rotates each
// round, so drift in machine load lands on every variant alike) and prints the rounds as JSON.
// Nothing else runs in this process, so its CPU time over a round is the client's.

const [family, origin, roundsArg, requestsArg, concurrencyArg, only] = process.argv.slice(2)
const rounds = Number(roundsArg)
const requests = Number(requestsArg)
const concurrency = Number(concurrencyArg)

const variants = httpVariants(family as ClientFamily, origin ?? '', concurrency).filter(
  (v) => only === undefined || v.name === only,
)
// Warm-up: JIT, connection pools and lazy imports, not recorded.
for (const v of variants) await closedLoop(v.send, Math.max(200, requests >> 1), concurrency)

const results: HttpRoundResult[] = []
for (let round = 0; round < rounds; round++) {
  for (let k = 0; k < variants.length; k++) {
    const v = variants[(round + k) % variants.length]
    if (v === undefined) continue
    const { value: latencies, wallNs, cpuNs } = await timeBatch(() => closedLoop(v.send, requests, concurrency))
    results.push({
      variant: v.name,
      kind: v.kind,
      round,
      requestsPerSecond: requests / (wallNs / 1e9),
      p50Ms: percentile(latencies, 0.5) ?? Number.NaN,
      p99Ms: percentile(latencies, 0.99) ?? Number.NaN,
      cpuNsPerRequest: cpuNs / requests,
    })
  }
}
process.stdout.write(`${JSON.stringify(results)}\n`)
process.exit(0)
