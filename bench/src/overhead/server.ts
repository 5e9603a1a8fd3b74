import { createServer } from 'node:http'
import { OK_BODY } from './okBody.ts'

// The benchmark's upstream, run in its own process so the server's work never shares a
// thread with the clients being measured. It reports its port over IPC.
//   GET /ok               200 with a small JSON body (the success path)
//   GET /retry-after/<id> first hit: 429 with `Retry-After: 1`; second hit: 200, and the
//                         lateness (ms after the 1 000 ms the server asked for) is kept
//   GET /lateness/<id>    that lateness, as JSON (`null` until the retry arrived)
//   GET /unavailable      503 with `Retry-After: 10` (a client then sleeps 10 s)

const sentAt = new Map<string, number>()
const lateness = new Map<string, number>()

const server = createServer((req, res) => {
  const url = req.url ?? '/'
  if (url === '/ok') {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(OK_BODY) })
    res.end(OK_BODY)
    return
  }
  if (url.startsWith('/retry-after/')) {
    const id = url.slice('/retry-after/'.length)
    const first = sentAt.get(id)
    if (first === undefined) {
      res.writeHead(429, { 'retry-after': '1', 'content-length': '0' })
      // The clock starts when the 429 has been handed to the kernel, not when it was built.
      res.end(() => sentAt.set(id, performance.now()))
    } else {
      if (!lateness.has(id)) lateness.set(id, performance.now() - first - 1000)
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(OK_BODY) })
      res.end(OK_BODY)
    }
    return
  }
  if (url.startsWith('/lateness/')) {
    const body = JSON.stringify(lateness.get(url.slice('/lateness/'.length)) ?? null)
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) })
    res.end(body)
    return
  }
  if (url === '/unavailable') {
    res.writeHead(503, { 'retry-after': '10', 'content-length': '0' })
    res.end()
    return
  }
  res.writeHead(404, { 'content-length': '0' })
  res.end()
})
// Keep-alive for the whole run: a closed idle socket would add connects to a round.
server.keepAliveTimeout = 120_000
server.headersTimeout = 121_000

server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  process.send?.({ port })
})
process.on('disconnect', () => {
  server.closeAllConnections()
  server.close()
})
