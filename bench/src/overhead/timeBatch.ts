/** What one batch of operations cost. */
export interface BatchCost<T> {
  /** What the batch returned. */
  readonly value: T
  /** Wall-clock nanoseconds from the batch's start to its end. */
  readonly wallNs: number
  /**
   * CPU nanoseconds of the whole process over the batch, user plus system, from
   * `process.cpuUsage()` (microsecond resolution; on Linux the sum is the scheduler's exact
   * run time). It includes V8's GC and compiler threads, and excludes time spent waiting:
   * on the network, on a timer, or preempted by another process.
   */
  readonly cpuNs: number
}

/** Runs `batch` once and measures its wall-clock and CPU time. */
export async function timeBatch<T>(batch: () => Promise<T>): Promise<BatchCost<T>> {
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const value = await batch()
  const wallNs = Number(process.hrtime.bigint() - t0)
  const cpu = process.cpuUsage(cpu0)
  return { value, wallNs, cpuNs: (cpu.user + cpu.system) * 1000 }
}
