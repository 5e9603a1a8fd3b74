import { AllocationMeter } from './AllocationMeter.ts'
import type { AllocationResult } from './AllocationResult.ts'
import type { ClientFamily } from './ClientFamily.ts'
import { fakeTransportVariants } from './fakeTransportVariants.ts'
import type { HttpVariant } from './HttpVariant.ts'
import { interleavedRounds } from './interleavedRounds.ts'

// Child process, one client family against a fake transport (no sockets), in one of two modes:
//   node inProcessRunner.mjs <family> cpu <rounds> <requests>
//        → RoundCosts[]: wall and CPU ns per request, interleaved rounds
//   node --expose-gc --min-semi-space-size=64 --max-semi-space-size=64 inProcessRunner.mjs <family> bytes <requests> <samples>
//        → AllocationResult[]
// Two processes, because the allocation flags change how often the collector runs, and so the timings.
// Requests go one after another: with no I/O to overlap, concurrency would only reorder the same work.
// The event loop turns every TURN_EVERY requests, as a service's does between I/O callbacks: a
// fake transport answers on microtasks, and without a turn nothing scheduled for a later
// macrotask ever runs — what undici (and any client) releases there piled up across a run until
// the heap held 270 MB, and every scavenge copied live objects no real process keeps.

const [family, mode, first, second] = process.argv.slice(2)
const variants = fakeTransportVariants(family as ClientFamily)
const TURN_EVERY = 100
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

const sequential =
  (v: HttpVariant) =>
  async (ops: number): Promise<void> => {
    for (let i = 0; i < ops; i++) {
      await v.send()
      if (i % TURN_EVERY === TURN_EVERY - 1) await turn()
    }
  }

let out: unknown
if (mode === 'cpu') {
  const timed = variants.map((v) => ({ name: v.name, kind: v.kind, batch: sequential(v) }))
  out = await interleavedRounds(timed, Number(first), Number(second))
} else if (mode === 'bytes') {
  const requests = Number(first)
  const samples = Number(second)
  const meter = new AllocationMeter()
  for (const v of variants) await sequential(v)(requests)
  const results: AllocationResult[] = []
  for (const v of variants) {
    results.push({
      variant: v.name,
      kind: v.kind,
      bytesPerOp: await meter.samples(() => sequential(v)(requests), requests, samples),
    })
  }
  out = results
} else {
  throw new RangeError(`mode must be cpu or bytes, got ${mode}`)
}
process.stdout.write(`${JSON.stringify(out)}\n`)
process.exit(0)
