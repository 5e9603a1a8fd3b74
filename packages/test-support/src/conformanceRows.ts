import type { ConformanceRequest, ConformanceResponse } from './AdapterDriver.ts'
import type { FaultScript, FaultStep } from './startFaultServer.ts'

/** What one row of the table expects. */
interface Expected {
  /** The response handed back, or `'network error'` for a rejection without one. */
  readonly outcome: ConformanceResponse | 'network error'
  /** The bodies the server received, one per request that reached it. */
  readonly received: readonly string[]
  /** Attempts the policy started (more than `received` when the connection was refused). */
  readonly attempts: number
  /** The backoff sleeps the policy asked for, in ms (random is 0: each is exact). */
  readonly sleeps: readonly number[]
}

/** One scenario of the table: a script, a request, and what the adapter must do with them. */
export interface ConformanceRow {
  readonly name: string
  /** The fault server's script; absent: the client talks to a port that refuses connections. */
  readonly script?: FaultScript
  readonly request: ConformanceRequest
  /** Fakes `Date` at this epoch time (ms), so an HTTP-date becomes an exact delay. */
  readonly dateNowMs?: number
  /** Error codes the rejection's `cause` chain must carry. */
  readonly codes?: readonly string[]
  readonly expected: Expected
}

export const ok: FaultStep = { status: 200, body: 'ok' }
export const OK: ConformanceResponse = { status: 200, body: 'ok' }
const reset: FaultStep = { destroy: true }
/** The backoff sleep of `httpPolicy` with `random` 0: `decorrelatedJitter`'s base, in ms. */
export const BASE_SLEEP_MS = 250
// 2026-01-01T00:00:00Z, the faked Date of the HTTP-date row.
const NOW_MS = Date.UTC(2026, 0, 1)

/**
 * The table-driven scenarios of `adapterConformance`: each row scripts the fault server (or a
 * refused connection), sends one request, and states the response, the bodies the server
 * received, the attempts and the exact backoff sleeps every adapter must produce.
 */
export const CONFORMANCE_ROWS: readonly ConformanceRow[] = [
  {
    name: 'retries a GET whose connection is reset before the response headers',
    script: [reset, ok],
    request: { method: 'GET', path: '/reset' },
    expected: { outcome: OK, received: ['', ''], attempts: 2, sleeps: [BASE_SLEEP_MS] },
  },
  {
    name: 'retries a POST whose connection was refused (the server provably never saw it), then rejects with the last error',
    request: { method: 'POST', path: '/refused', body: { kind: 'text', text: 'order' } },
    codes: ['ECONNREFUSED'],
    expected: { outcome: 'network error', received: [], attempts: 3, sleeps: [BASE_SLEEP_MS, BASE_SLEEP_MS] },
  },
  {
    name: 'does not retry a POST whose connection is reset after it was sent, and rejects with that error',
    script: [reset, ok],
    request: { method: 'POST', path: '/order', body: { kind: 'text', text: 'order' } },
    expected: { outcome: 'network error', received: ['order'], attempts: 1, sleeps: [] },
  },
  {
    name: 'sends a stream body once and hands back the 503 instead of re-sending it',
    script: [{ status: 503, body: 'unavailable' }, ok],
    request: { method: 'PUT', path: '/upload', body: { kind: 'stream', chunks: ['part one, ', 'part two'] } },
    expected: {
      outcome: { status: 503, body: 'unavailable' },
      received: ['part one, part two'],
      attempts: 1,
      sleeps: [],
    },
  },
  {
    name: 'does not re-send a stream body after a reset, even for an idempotent PUT',
    script: [reset, ok],
    request: { method: 'PUT', path: '/upload', body: { kind: 'stream', chunks: ['str', 'eam'] } },
    expected: { outcome: 'network error', received: ['stream'], attempts: 1, sleeps: [] },
  },
  {
    name: 'waits exactly the Retry-After seconds of a 429',
    script: [{ status: 429, headers: { 'retry-after': '7' }, body: 'slow down' }, ok],
    request: { method: 'GET', path: '/limited' },
    expected: { outcome: OK, received: ['', ''], attempts: 2, sleeps: [7_000] },
  },
  {
    name: 'waits exactly until the Retry-After HTTP-date of a 503',
    script: [{ status: 503, headers: { 'retry-after': 'Thu, 01 Jan 2026 00:00:09 GMT' }, body: 'later' }, ok],
    request: { method: 'GET', path: '/dated' },
    dateNowMs: NOW_MS,
    expected: { outcome: OK, received: ['', ''], attempts: 2, sleeps: [9_000] },
  },
  // Issue 14: what a hostile upstream found, kept for every adapter and transport.
  {
    name: 'retries a 503 sent after a 103 Early Hints: the informational response is not the attempt’s (defect 1)',
    script: [
      { status: 503, body: 'busy', earlyHints: true },
      { ...ok, earlyHints: true },
    ],
    request: { method: 'GET', path: '/hinted' },
    expected: { outcome: OK, received: ['', ''], attempts: 2, sleeps: [BASE_SLEEP_MS] },
  },
  {
    name: 'retries a GET whose connection closes after a 103 Early Hints, like a reset before the response (defect 1)',
    script: [{ destroy: true, earlyHints: true }, ok],
    request: { method: 'GET', path: '/hinted-reset' },
    expected: { outcome: OK, received: ['', ''], attempts: 2, sleeps: [BASE_SLEEP_MS] },
  },
  {
    name: 'reads an RFC 850 Retry-After date with a two-digit year as the nearest past century’s when it is over 50 years ahead (defect 8)',
    // Read as 2076, the date is 50 years away, above maxRetryAfterMs: the 503 would be handed back.
    // Read as 1976 (RFC 9110 §5.6.7), it is in the past: the retry is due at once, with no sleep.
    script: [{ status: 503, headers: { 'retry-after': 'Friday, 31-Dec-76 23:59:59 GMT' }, body: 'later' }, ok],
    request: { method: 'GET', path: '/rfc850' },
    dateNowMs: NOW_MS,
    expected: { outcome: OK, received: ['', ''], attempts: 2, sleeps: [] },
  },
  {
    name: 'waits the reset of an exhausted RateLimit quota whose field also carries an RFC 9651 date and display string (defect 9)',
    script: [
      {
        status: 429,
        headers: { ratelimit: '%"Minute", "default";r=0;t=5;x-reset-at=@1767225605;x-note=%"quota d%c3%a9pass%c3%a9"' },
        body: 'slow down',
      },
      ok,
    ],
    request: { method: 'GET', path: '/quota' },
    expected: { outcome: OK, received: ['', ''], attempts: 2, sleeps: [5_000] },
  },
  {
    name: 'waits the RateLimit-Reset of a 429 that gives no remaining count (defect 10)',
    script: [{ status: 429, headers: { 'ratelimit-reset': '6' }, body: 'slow down' }, ok],
    request: { method: 'GET', path: '/reset-only' },
    expected: { outcome: OK, received: ['', ''], attempts: 2, sleeps: [6_000] },
  },
]
