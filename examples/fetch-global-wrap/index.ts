/**
 * Wrap the global fetch once, at start-up: every `fetch` in the process then retries what
 * `@redress/core/http` calls retryable (resets, 5xx, 408, 429), honours `Retry-After`, and
 * still resolves with a normal `Response`. `init.redress` tunes or turns off one request.
 *
 * Run: pnpm --filter @redress/examples exec node --conditions=@redress/source --import tsx fetch-global-wrap/index.ts
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decorrelatedJitter } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'

// An upstream on 127.0.0.1: /flaky answers 503 twice, then 200; /down always answers 503.
let hits = 0
const server = createServer((req, res) => {
  hits++
  const flakyOk = req.url === '/flaky' && hits > 2
  res.writeHead(flakyOk ? 200 : 503, { 'content-type': 'text/plain' }).end(flakyOk ? 'hello' : 'unavailable')
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const plainFetch = globalThis.fetch
globalThis.fetch = redressFetch({
  // Small delays keep the example quick; the defaults are httpPolicy()'s.
  policy: httpPolicy({
    strategy: decorrelatedJitter({ baseMs: 20, maxMs: 100 }),
    onLog: (event, f) => console.log(`  [redress] ${event} attempt=${f['attempt']} status=${f['status'] ?? '-'}`),
  }),
})

try {
  console.log('GET /flaky through the wrapped global fetch:')
  const res = await fetch(`${origin}/flaky`)
  console.log(`→ ${res.status} ${await res.text()} after ${hits} requests`)
  assert.equal(res.status, 200)
  assert.equal(hits, 3)

  hits = 0
  console.log('GET /down with { redress: { retry: false } }: sent once, the 503 comes straight back')
  const once = await fetch(`${origin}/down`, { redress: { retry: false } })
  await once.body?.cancel()
  console.log(`→ ${once.status} after ${hits} request`)
  assert.equal(once.status, 503)
  assert.equal(hits, 1)

  hits = 0
  console.log('GET /down with retries: after the last attempt fetch resolves with the last 503, body intact')
  const last = await fetch(`${origin}/down`)
  console.log(`→ ${last.status} "${await last.text()}" after ${hits} requests (httpPolicy: 3 attempts)`)
  assert.equal(last.status, 503)
  assert.equal(hits, 3)
} finally {
  globalThis.fetch = plainFetch
  server.close()
}
