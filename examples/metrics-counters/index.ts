/**
 * OpenTelemetry-style counters from the one `onMetric` hook, with no SDK: count retries by
 * class, give-ups by stop reason, and sleep time, then print them the way a metrics backend
 * would show them. (For real OpenTelemetry instruments use `@redress/otel`.)
 *
 * Run: pnpm --filter @redress/examples exec node --conditions=@redress/source --import tsx metrics-counters/index.ts
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decorrelatedJitter, EventName, type MetricHook } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'

/** Counters keyed by name and sorted label set, like an OTel Counter with attributes. */
const counters = new Map<string, number>()
function add(name: string, value: number, labels: Record<string, string | number | undefined>): void {
  const attrs = Object.entries(labels)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}="${v}"`)
    .join(',')
  const key = `${name}{${attrs}}`
  counters.set(key, (counters.get(key) ?? 0) + value)
}

const onMetric: MetricHook = (event, _attempt, sleepMs, tags) => {
  const base = { operation: tags['operation'], method: tags['method'] }
  if (event === EventName.RETRY) {
    add('redress.retries', 1, { ...base, class: tags['class'] })
    add('redress.retry_sleep_ms', sleepMs, { ...base, class: tags['class'] })
  } else if (event === EventName.SUCCESS) {
    add('redress.successes', 1, base)
  } else if (tags['stop_reason'] !== undefined) {
    add('redress.give_ups', 1, { ...base, stop_reason: tags['stop_reason'], class: tags['class'] })
  }
}

// /ok always 200; /flaky 503 every other request; /rate 429 (Retry-After: 0) every other; /gone 404.
let n = 0
const server = createServer((req, res) => {
  n++
  const status =
    req.url === '/ok'
      ? 200
      : req.url === '/flaky'
        ? n % 2
          ? 503
          : 200
        : req.url === '/rate'
          ? n % 2
            ? 429
            : 200
          : 404
  res.writeHead(status, status === 429 ? { 'retry-after': '0' } : {}).end()
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const fetchWithRetries = redressFetch({
  policy: httpPolicy({ strategy: decorrelatedJitter({ baseMs: 5, maxMs: 20 }), onMetric, budget: null }),
  operation: ({ url }) => url.pathname,
})
try {
  for (const path of ['/ok', '/flaky', '/rate', '/flaky', '/gone', '/ok']) {
    const res = await fetchWithRetries(`${origin}${path}`)
    await res.body?.cancel()
  }
} finally {
  server.close()
}

console.log('counters after six requests:')
for (const [key, value] of [...counters].sort()) console.log(`  ${key} ${Math.round(value)}`)
assert.equal(counters.get('redress.successes{method="GET",operation="/ok"}'), 2)
assert.equal(
  counters.get('redress.give_ups{class="PERMANENT",method="GET",operation="/gone",stop_reason="NON_RETRYABLE_CLASS"}'),
  1,
)
assert.ok((counters.get('redress.retries{class="RATE_LIMIT",method="GET",operation="/rate"}') ?? 0) >= 1)
