/**
 * The hedging benchmark's server, run in a child process of its own (so that its timers and the
 * client's never share an event loop): `node:http` on 127.0.0.1 port 0 answering every request
 * with `ok` after {@link tailDelayMs} (seeded). It reports its port on start, and answers a
 * `count` message with the requests it has received so far per first path segment (`/v0/…`:
 * `v0`), so each variant's extra requests can be counted.
 */
import { createServer } from 'node:http'
import { seededRandom } from '@redress/core/testing'
import { tailDelayMs } from './tailLatency.ts'

const random = seededRandom(Number(process.env['HEDGE_BENCH_SEED'] ?? 18))
const received: Record<string, number> = {}
const server = createServer((req, res) => {
  const key = (req.url ?? '/').split('/')[1] ?? ''
  received[key] = (received[key] ?? 0) + 1
  const delay = tailDelayMs(random(), random())
  const timer = setTimeout(() => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' })
    res.end('ok')
  }, delay)
  // A request the client abandoned (a hedge's loser) needs no answer.
  req.on('close', () => {
    if (!res.writableEnded) clearTimeout(timer)
  })
})
server.keepAliveTimeout = 60_000
server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  process.send?.({ port: typeof address === 'object' && address !== null ? address.port : 0 })
})
process.on('message', (message: { type?: string }) => {
  if (message.type === 'count') process.send?.({ count: received })
})
process.on('disconnect', () => {
  server.closeAllConnections()
  server.close()
})
