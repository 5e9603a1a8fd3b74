/**
 * The undici interceptor, two ways: composed onto one `Agent` for `undici.request`, and
 * installed as the global dispatcher so `undici.fetch` (and anything else that uses the
 * global dispatcher) retries too.
 *
 * Run: pnpm --filter @redress/examples exec node --conditions=@redress/source --import tsx undici-dispatcher/index.ts
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { decorrelatedJitter } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { redressInterceptor } from '@redress/undici'
import { Agent, getGlobalDispatcher, request, setGlobalDispatcher, fetch as undiciFetch } from 'undici'

// Every path answers 429 (Retry-After: 0) on its first request and 200 afterwards; /reset
// drops the connection on its first request instead.
const seen = new Map<string, number>()
const server = createServer((req, res) => {
  const n = (seen.get(req.url ?? '') ?? 0) + 1
  seen.set(req.url ?? '', n)
  if (n === 1 && req.url === '/reset') return void req.socket.destroy()
  if (n === 1) return void res.writeHead(429, { 'retry-after': '0' }).end()
  res.writeHead(200, { 'content-type': 'text/plain' }).end(`ok on request ${n}`)
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

const policy = httpPolicy({
  strategy: decorrelatedJitter({ baseMs: 20, maxMs: 100 }),
  onLog: (event, f) =>
    console.log(
      `  [redress] ${event} ${f['operation']} attempt=${f['attempt']} ${f['status'] ?? f['err'] ?? ''} sleep=${Math.round(Number(f['sleep_ms']))}ms (${f['sleep_source'] ?? '-'})`,
    ),
})
const agent = new Agent().compose(redressInterceptor({ policy }))
const previous = getGlobalDispatcher()

try {
  const a = await request(`${origin}/a`, { dispatcher: agent })
  console.log(`undici.request /a → ${a.statusCode}: ${await a.body.text()}`)
  assert.equal(a.statusCode, 200)

  const r = await request(`${origin}/reset`, { dispatcher: agent })
  console.log(`undici.request /reset → ${r.statusCode}: ${await r.body.text()}`)
  assert.equal(r.statusCode, 200)

  setGlobalDispatcher(agent)
  const b = await undiciFetch(`${origin}/b`)
  console.log(`undici.fetch /b via the global dispatcher → ${b.status}: ${await b.text()}`)
  assert.equal(b.status, 200)
} finally {
  setGlobalDispatcher(previous)
  await agent.close()
  server.close()
}
