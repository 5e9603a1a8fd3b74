import { AllocationMeter } from './AllocationMeter.ts'
import type { AllocationResult } from './AllocationResult.ts'
import type { ClientFamily } from './ClientFamily.ts'
import { closedLoop } from './closedLoop.ts'
import { httpVariants } from './httpVariants.ts'

// Child process: `node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64
// httpAllocationRunner.mjs <family> <origin> <requests> <samples> <concurrency>`.
// Bytes allocated per request by every variant of one client family, in a process of its
// own because those flags change how often the collector runs, and so the timings.

const [family, origin, requestsArg, samplesArg, concurrencyArg] = process.argv.slice(2)
const requests = Number(requestsArg)
const samples = Number(samplesArg)
const concurrency = Number(concurrencyArg)

const meter = new AllocationMeter()
const variants = httpVariants(family as ClientFamily, origin ?? '', concurrency)
for (const v of variants) await closedLoop(v.send, Math.max(200, requests), concurrency)

const results: AllocationResult[] = []
for (const v of variants) {
  results.push({
    variant: v.name,
    kind: v.kind,
    bytesPerOp: await meter.samples(() => closedLoop(v.send, requests, concurrency), requests, samples),
  })
}
process.stdout.write(`${JSON.stringify(results)}\n`)
process.exit(0)
