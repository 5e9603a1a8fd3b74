/**
 * Prometheus metrics for a flaky upstream: `@redress/prometheus` records every redress event
 * in a prom-client registry, the example serves it on /metrics (127.0.0.1), scrapes it once
 * and prints the redress series.
 *
 * Run: pnpm --filter @redress/examples exec node --conditions=@redress/source --import tsx prometheus-metrics/index.ts
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decorrelatedJitter } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'
import { prometheusHooks } from '@redress/prometheus'
import { Registry } from 'prom-client'

const registry = new Registry()
const { onMetric } = prometheusHooks({ registry })

// One server plays both parts: a flaky upstream on /api/*, and the app's /metrics endpoint.
let n = 0
const server = createServer((req, res) => {
  if (req.url === '/metrics') {
    void registry.metrics().then((text) => res.writeHead(200, { 'content-type': registry.contentType }).end(text))
    return
  }
  n++
  res.writeHead(n % 3 === 0 ? 200 : 503).end()
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const fetchWithRetries = redressFetch({
  policy: httpPolicy({ strategy: decorrelatedJitter({ baseMs: 5, maxMs: 20 }), onMetric, budget: null }),
  operation: () => 'api',
})
try {
  for (let i = 0; i < 4; i++) {
    const res = await fetchWithRetries(`${origin}/api/items`)
    await res.body?.cancel()
  }
  const text = await (await fetch(`${origin}/metrics`)).text()
  const series = text.split('\n').filter((line) => line.startsWith('redress_') && !line.includes('_bucket'))
  console.log(`GET /metrics (${series.length} redress series, buckets left out):`)
  for (const line of series) console.log(`  ${line}`)
  assert.ok(series.some((line) => line.startsWith('redress_')))
} finally {
  server.close()
}
