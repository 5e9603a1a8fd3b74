/**
 * One retry budget and one circuit breaker shared by two HTTP clients (fetch and axios)
 * through one policy. While the upstream is down the budget stops retries first (no retry
 * storm), then the breaker opens and calls fail at once without touching the network; once
 * the recovery time has passed a single probe closes it again.
 *
 * Run: pnpm --filter @redress/examples exec node --conditions=@redress/source --import tsx budget-and-breaker/index.ts
 */
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { installRedress } from '@redress/axios'
import { CircuitBreaker, decorrelatedJitter, isCircuitOpenError, TokenBudget } from '@redress/core'
import { httpPolicy } from '@redress/core/http'
import { redressFetch } from '@redress/fetch'
import axios from 'axios'

let healthy = false
let requests = 0
const server = createServer((_req, res) => {
  requests++
  res.writeHead(healthy ? 200 : 503).end(healthy ? 'ok' : 'down')
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stock`

const breaker = new CircuitBreaker({ failureThreshold: 3, recoveryTimeoutMs: 300 })
const budget = new TokenBudget({ maxTokens: 4, tokenRatio: 0.5 })
const policy = httpPolicy({
  budget,
  circuitBreaker: breaker,
  strategy: decorrelatedJitter({ baseMs: 10, maxMs: 40 }),
  onMetric: (event, attempt, _sleepMs, tags) => {
    if (event !== 'retry') console.log(`    [redress] ${event} attempt=${attempt} ${tags['stop_reason'] ?? ''}`)
  },
})
const fetchWithRetries = redressFetch({ policy })
const api = axios.create()
installRedress(api, { policy })

async function viaFetch(): Promise<string> {
  try {
    const res = await fetchWithRetries(url)
    await res.body?.cancel()
    return String(res.status)
  } catch (error) {
    return isCircuitOpenError(error) ? 'CircuitOpenError' : String(error)
  }
}
async function viaAxios(): Promise<string> {
  try {
    return String((await api.get(url)).status)
  } catch (error) {
    if (isCircuitOpenError(error)) return 'CircuitOpenError'
    return axios.isAxiosError(error) ? String(error.response?.status ?? error.code) : String(error)
  }
}

try {
  const clients = [viaFetch, viaAxios, viaFetch, viaAxios, viaFetch, viaAxios]
  for (const [i, call] of clients.entries()) {
    const before = requests
    const result = await call()
    console.log(
      `call ${i + 1} (${call === viaFetch ? 'fetch' : 'axios'}): ${result}; ${requests - before} request(s); breaker ${breaker.state}`,
    )
  }
  assert.equal(breaker.state, 'open')
  assert.ok(requests <= 6, `at most 6 requests reached the down upstream, got ${requests}`)

  console.log('the upstream recovers; after recoveryTimeoutMs one probe is let through')
  healthy = true
  await new Promise((resolve) => setTimeout(resolve, 350))
  const probe = await viaAxios()
  console.log(`probe (axios): ${probe}; breaker ${breaker.state}`)
  assert.equal(probe, '200')
  assert.equal(breaker.state, 'closed')
  console.log(`fetch again: ${await viaFetch()}`)
} finally {
  server.close()
}
