/**
 * ky on top of redress: give ky `redressFetch()` as its fetch and turn ky's own retry off,
 * so retries happen at one layer only — with redress's classes, budget and deadline.
 *
 * Run: pnpm --filter @redress/examples exec node --conditions=@redress/source --import tsx ky/index.ts
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decorrelatedJitter } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'
import ky, { HTTPError } from 'ky'

// /todos/1: 502, 503, then 200. /missing: 404 (never retried).
let hits = 0
const server = createServer((req, res) => {
  hits++
  if (req.url === '/missing') return void res.writeHead(404).end()
  const status = hits === 1 ? 502 : hits === 2 ? 503 : 200
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 1, title: 'write docs' }))
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))

const api = ky.create({
  prefixUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  fetch: redressFetch({
    policy: httpPolicy({
      strategy: decorrelatedJitter({ baseMs: 20, maxMs: 100 }),
      onMetric: (event, attempt, _sleepMs, tags) =>
        console.log(`  [redress] ${event} attempt=${attempt} class=${tags['class'] ?? '-'}`),
    }),
    // ky sends a Request whose body is a stream; buffer small ones so POSTs stay retryable.
    maxBufferedBodyBytes: 64 * 1024,
  }),
  retry: 0,
})

try {
  const todo = await api.get('todos/1').json<{ title: string }>()
  console.log(`todos/1 → "${todo.title}" after ${hits} requests`)
  assert.equal(hits, 3)

  hits = 0
  const missing = await api.get('missing').catch((error: unknown) => error)
  assert.ok(missing instanceof HTTPError)
  console.log(`missing → ky's HTTPError ${missing.response.status}, after ${hits} request (404 is PERMANENT)`)
  assert.equal(hits, 1)
} finally {
  server.close()
}
