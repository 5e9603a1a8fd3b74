/**
 * One redress interceptor on an axios instance: retryable failures (resets, 5xx, 429) are
 * retried under the policy, a POST is never sent twice unless that is provably safe, and
 * `installRedress` returns a function that removes it again.
 *
 * Run: pnpm --filter @redress/examples exec node --conditions=@redress/source --import tsx axios-interceptor/index.ts
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { installRedress } from '@redress/axios'
import { decorrelatedJitter } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import axios, { isAxiosError } from 'axios'

// /users/1: 503, then 200. /orders (POST): the first request gets a 503, the second 201.
const hits = new Map<string, number>()
const server = createServer((req, res) => {
  const key = `${req.method} ${req.url}`
  const n = (hits.get(key) ?? 0) + 1
  hits.set(key, n)
  req.resume()
  const status = n === 1 ? 503 : req.method === 'POST' ? 201 : 200
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ n }))
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const api = axios.create({ baseURL })
const eject = installRedress(api, {
  policy: httpPolicy({
    strategy: decorrelatedJitter({ baseMs: 20, maxMs: 100 }),
    onMetric: (event, attempt, sleepMs, tags) =>
      console.log(`  [redress] ${event} ${tags['operation']} attempt=${attempt} sleep=${Math.round(sleepMs)}ms`),
  }),
  operation: ({ method, url }) => `${method} ${url.pathname}`,
})

try {
  const user = await api.get<{ n: number }>('/users/1')
  console.log(`GET /users/1 → ${user.status} on request #${user.data.n}`)
  assert.equal(user.status, 200)

  // A 503 to a POST does not prove the server did nothing, so it is not retried.
  const order = await api.post('/orders', { sku: 'A-1' }).catch((error: unknown) => error)
  assert.ok(isAxiosError(order))
  console.log(`POST /orders → ${order.response?.status}, not retried (sent ${hits.get('POST /orders')} time)`)
  assert.equal(hits.get('POST /orders'), 1)

  // With an Idempotency-Key the server can de-duplicate, so redress may send it again.
  const keyed = await api.post('/orders', { sku: 'A-1' }, { headers: { 'idempotency-key': 'order-A-1' } })
  console.log(`POST /orders with Idempotency-Key → ${keyed.status} (${hits.get('POST /orders')} requests in all)`)
  assert.equal(keyed.status, 201)

  eject()
  console.log('after eject(): plain axios again')
} finally {
  server.close()
}
