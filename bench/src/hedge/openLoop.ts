/**
 * Sends `requests` requests at a fixed rate, whatever the responses do (an open loop: a slow
 * response never delays the next request, as with independent users). Each latency is measured
 * from the request's scheduled time, so a client that falls behind shows it (no coordinated
 * omission). Resolves with the latencies in ms, in schedule order, once every request settled,
 * and the count of requests that rejected, per group.
 *
 * @param send request `i`; resolves when its response body has been read
 * @param ratePerSecond requests per second
 */
export async function openLoop(
  send: (i: number) => Promise<unknown>,
  requests: number,
  ratePerSecond: number,
  /** Which group a failure counts in (e.g. the variant of request `i`). @default 0 */
  groupOf: (i: number) => number = () => 0,
): Promise<{ latencies: number[]; failures: number[] }> {
  const intervalMs = 1_000 / ratePerSecond
  const latencies: number[] = new Array(requests)
  const pending: Promise<void>[] = []
  const failures: number[] = []
  const t0 = performance.now()
  for (let i = 0; i < requests; i++) {
    const due = t0 + i * intervalMs
    const wait = due - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    pending.push(
      send(i).then(
        () => {
          latencies[i] = performance.now() - due
        },
        () => {
          const g = groupOf(i)
          failures[g] = (failures[g] ?? 0) + 1
          latencies[i] = performance.now() - due
        },
      ),
    )
  }
  await Promise.all(pending)
  return { latencies, failures }
}
