import { OUTAGE_MS, RATE_LIMIT_WINDOW_MS, SLOW_RESPONSE_MS } from './FlakyUpstream.ts'

/** One request of the demo's scenario. */
export interface ScenarioStep {
  /** HTTP method. */
  readonly method: 'GET' | 'POST'
  /** Path on the flaky upstream. */
  readonly path: string
  /** A JSON body (POST only); unique per step, so the server can spot a duplicate. */
  readonly body?: string
  /** What the upstream does to this request, in a few words. */
  readonly fault: string
  /** True for the requests made during the upstream's total outage. */
  readonly duringOutage: boolean
}

/** The requests every client makes, in order (see `FlakyUpstream` for the faults). */
export const SCENARIO: readonly ScenarioStep[] = [
  { method: 'GET', path: '/users/1', fault: 'connection reset on the first try', duringOutage: false },
  { method: 'GET', path: '/inventory', fault: '503 twice, then 200', duringOutage: false },
  {
    method: 'GET',
    path: '/quota',
    fault: `429 with Retry-After: ${seconds(RATE_LIMIT_WINDOW_MS)} (rate limited for ${seconds(RATE_LIMIT_WINDOW_MS)} s)`,
    duringOutage: false,
  },
  { method: 'GET', path: '/report', fault: `first response takes ${seconds(SLOW_RESPONSE_MS)} s`, duringOutage: false },
  {
    method: 'POST',
    path: '/orders',
    body: '{"order":"A-1001","qty":1}',
    fault: 'order stored, then the connection is reset before the reply',
    duringOutage: false,
  },
  {
    method: 'GET',
    path: '/catalog/1',
    fault: `total outage: every request gets 503 for ${seconds(OUTAGE_MS)} s`,
    duringOutage: true,
  },
  { method: 'GET', path: '/catalog/2', fault: 'still in the outage', duringOutage: true },
  { method: 'GET', path: '/catalog/3', fault: 'still in the outage', duringOutage: true },
]

function seconds(ms: number): number {
  return ms / 1000
}
