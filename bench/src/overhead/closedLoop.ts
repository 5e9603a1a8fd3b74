/**
 * Sends `total` requests with `send`, `concurrency` in flight at a time (each worker sends
 * its next request when the previous one has finished), and returns every request's
 * latency in milliseconds, in the order the requests were started.
 */
export async function closedLoop(send: () => Promise<void>, total: number, concurrency: number): Promise<number[]> {
  const latencies: number[] = new Array(total)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < total) {
      const i = next++
      const t0 = performance.now()
      await send()
      latencies[i] = performance.now() - t0
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker))
  return latencies
}
