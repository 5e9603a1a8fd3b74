import type { Printer } from './Printer.ts'
import type { ClientRun } from './runDemo.ts'
import { CALL_DEADLINE_MS } from './runDemo.ts'
import { ms } from './TimelineRecorder.ts'

/** Prints the runs side by side, then what the numbers say, redress against the naive loop. */
export function printSummary(out: Printer, runs: readonly ClientRun[], calls: number): void {
  const rows: readonly (readonly [string, (r: ClientRun) => string])[] = [
    ['requests sent to the upstream', (r) => String(r.requests)],
    ['POSTs duplicated', (r) => String(r.postsDuplicated)],
    ['time spent', (r) => ms(r.elapsedMs)],
    [`calls past the ${CALL_DEADLINE_MS} ms deadline`, (r) => String(r.pastDeadline)],
    [`calls failed (of ${calls})`, (r) => String(r.failedCalls)],
    ['outage: requests sent into it', (r) => String(r.outageRequests)],
    ['outage: time callers waited', (r) => ms(r.outageElapsedMs)],
  ]
  const labelWidth = Math.max(...rows.map(([label]) => label.length))
  const widths = runs.map((r) => Math.max(r.client.length, ...rows.map(([, cell]) => cell(r).length)))
  const row = (label: string, cells: readonly string[]): string =>
    `${label.padEnd(labelWidth)}  ${cells.map((c, i) => c.padStart(widths[i] ?? 0)).join('  ')}`

  out.line()
  out.line(out.paint('bold', '━━ summary: the same scenario, the same upstream ━━'))
  out.line(
    out.paint(
      'bold',
      row(
        '',
        runs.map((r) => r.client),
      ),
    ),
  )
  for (const [label, cell] of rows) out.line(row(label, runs.map(cell)))

  const naive = runs.find((r) => !r.redress)
  const redress = runs.filter((r) => r.redress)
  if (naive === undefined || redress.length === 0) return
  const most = (pick: (r: ClientRun) => number): number => Math.max(...redress.map(pick))
  out.line()
  out.line(
    `• requests: redress sent at most ${most((r) => r.requests)}, the naive loop ${naive.requests} ` +
      `(it re-sends at once on a 429 instead of waiting for Retry-After, and keeps hammering during the outage).`,
  )
  out.line(
    `• duplicates: redress placed ${most((r) => r.postsDuplicated)} order twice, the naive loop ${naive.postsDuplicated} ` +
      '(it re-sent a POST the server had already stored; redress hands the reset back instead).',
  )
  out.line(
    `• deadlines: ${most((r) => r.pastDeadline)} redress call outlived ${CALL_DEADLINE_MS} ms; ${naive.pastDeadline} naive ` +
      'call did (no attempt timeout: it waited out the slow response).',
  )
  out.line(
    `• the outage: redress sent ${most((r) => r.outageRequests)} request(s) into it and answered its callers in ` +
      `${ms(most((r) => r.outageElapsedMs))}; the naive loop sent ${naive.outageRequests} and kept its callers ` +
      `waiting ${ms(naive.outageElapsedMs)}.`,
  )
  out.line(
    `• failed calls: redress handed back up to ${most((r) => r.failedCalls)} failures, the naive loop ${naive.failedCalls}: ` +
      'redress reports the reset POST instead of risking a second order, and answers outage calls at once (its ' +
      'retry budget for the origin is spent) so callers can fall back; the naive loop "succeeds" by waiting the ' +
      'outage out and ordering twice.',
  )
}
