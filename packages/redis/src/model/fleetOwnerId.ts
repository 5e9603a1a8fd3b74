let nextOwner = 0

/**
 * A unique id for one fleet object of this process — the process id, the time and a counter —
 * by which the store tells the processes apart (it elects the half-open prober by it).
 */
export function fleetOwnerId(): string {
  return `${process.pid.toString(36)}.${Date.now().toString(36)}.${(nextOwner++).toString(36)}`
}
