import { loadavg } from 'node:os'

/** The machine's load average over 1, 5 and 15 minutes, as the reports print it: `1.16 / 2.22 / 2.91`. */
export function loadAverage(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ')
}
