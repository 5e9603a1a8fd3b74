import { PerformanceObserver } from 'node:perf_hooks'

/**
 * Bytes allocated on the V8 heap per operation, measured as the growth of
 * `process.memoryUsage().heapUsed` across a batch in which no garbage collection ran.
 * Until a collection, the heap only grows, by exactly what was allocated; a collection
 * would hide allocations, so a `PerformanceObserver` on `gc` entries counts collections and
 * a batch with one inside it is discarded. The process must run with `--expose-gc` (each
 * sample starts from a forced collection) and should run with a young generation large
 * enough for a whole batch (`--min-semi-space-size=64 --max-semi-space-size=64`: 64 MB).
 * Buffers' backing stores live outside the V8 heap and are not counted.
 */
export class AllocationMeter {
  #collections = 0
  readonly #gc: () => void

  constructor() {
    const gc = (globalThis as { gc?: () => void }).gc
    if (gc === undefined) throw new Error('AllocationMeter needs node --expose-gc')
    this.#gc = gc
    new PerformanceObserver((list) => {
      this.#collections += list.getEntries().length
    }).observe({ entryTypes: ['gc'] })
  }

  /** Bytes per operation of one run of `batch`, which performs `ops` operations; `undefined` when a collection ran inside it. */
  async sample(batch: () => Promise<unknown>, ops: number): Promise<number | undefined> {
    this.#gc()
    // The observer reports asynchronously: let the forced collection's entry arrive first.
    await settle()
    const before = this.#collections
    const h0 = process.memoryUsage().heapUsed
    await batch()
    const h1 = process.memoryUsage().heapUsed
    await settle()
    return this.#collections === before ? (h1 - h0) / ops : undefined
  }

  /** Up to `wanted` collection-free samples, from at most twice as many tries. */
  async samples(batch: () => Promise<unknown>, ops: number, wanted: number): Promise<number[]> {
    const kept: number[] = []
    for (let tries = 0; tries < wanted * 2 && kept.length < wanted; tries++) {
      const bytes = await this.sample(batch, ops)
      if (bytes !== undefined) kept.push(bytes)
    }
    return kept
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5))
}
