import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** How long the scripted rate limit lasts after its first 429, in ms (sent as `Retry-After: 1`). */
export const RATE_LIMIT_WINDOW_MS = 1_000
/** How long the first request to `/report` takes to answer, in ms. */
export const SLOW_RESPONSE_MS = 2_200
/** How long the total outage of `/catalog/*` lasts after its first request, in ms. */
export const OUTAGE_MS = 2_150

/** What the upstream saw during one run, counted on the server side. */
export interface UpstreamStats {
  /** Requests that reached the server. */
  readonly requests: number
  /** POST bodies the server had already seen: each is an order placed twice. */
  readonly postsDuplicated: number
  /** Requests that reached the server while its outage lasted. */
  readonly outageRequests: number
}

/**
 * A real `node:http` server on 127.0.0.1 (port 0) that fails in scripted ways. The script
 * depends only on how many requests a path has seen and on time since a fault began, so
 * every run of the same client tells the same story:
 *
 * - `GET /users/1` — the first connection is reset before any response.
 * - `GET /inventory` — `503` twice, then `200`.
 * - `GET /quota` — `429` with `Retry-After: 1` until a second has passed since the first 429.
 * - `GET /report` — the first response takes {@link SLOW_RESPONSE_MS}, later ones are fast.
 * - `POST /orders` — the first request is read and stored, then its connection is reset
 *   (the order exists, the client does not know); the server counts bodies seen twice.
 * - `GET /catalog/*` — a total outage: `503` for {@link OUTAGE_MS} after the first request.
 */
export class FlakyUpstream {
  readonly #server: Server
  readonly #hits = new Map<string, number>()
  readonly #bodies = new Set<string>()
  readonly #timers = new Set<ReturnType<typeof setTimeout>>()
  #requests = 0
  #postsDuplicated = 0
  #outageRequests = 0
  #rateLimitedSince: number | undefined
  #outageSince: number | undefined
  #origin = ''

  constructor() {
    this.#server = createServer((req, res) => this.#handle(req, res))
  }

  /** The server's origin, e.g. `http://127.0.0.1:40123`. Set by `start`. */
  get origin(): string {
    return this.#origin
  }

  /** Listens on 127.0.0.1, on a free port. */
  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve))
    const { port } = this.#server.address() as AddressInfo
    this.#origin = `http://127.0.0.1:${port}`
  }

  /** Replays the script from the start and zeroes the counters, for the next client. */
  beginRun(): void {
    this.#hits.clear()
    this.#bodies.clear()
    this.#requests = 0
    this.#postsDuplicated = 0
    this.#outageRequests = 0
    this.#rateLimitedSince = undefined
    this.#outageSince = undefined
  }

  /** What the server saw since `beginRun`. */
  stats(): UpstreamStats {
    return { requests: this.#requests, postsDuplicated: this.#postsDuplicated, outageRequests: this.#outageRequests }
  }

  /** Stops listening and drops every connection (keep-alive ones included). */
  async close(): Promise<void> {
    for (const t of this.#timers) clearTimeout(t)
    this.#timers.clear()
    this.#server.closeAllConnections()
    await new Promise<void>((resolve) => this.#server.close(() => resolve()))
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    this.#requests++
    const path = new URL(req.url ?? '/', 'http://upstream').pathname
    const key = path.startsWith('/catalog/') ? '/catalog/*' : path
    const hit = (this.#hits.get(`${req.method} ${key}`) ?? 0) + 1
    this.#hits.set(`${req.method} ${key}`, hit)
    const now = performance.now()

    if (req.method === 'POST' && path === '/orders') {
      let body = ''
      req.setEncoding('utf8')
      req.on('data', (chunk: string) => {
        body += chunk
      })
      req.on('end', () => {
        if (this.#bodies.has(body)) this.#postsDuplicated++
        this.#bodies.add(body)
        // The order is stored; then the connection dies before the client hears about it.
        if (hit === 1) req.socket.destroy()
        else send(res, 201, { created: body })
      })
      return
    }
    const reply = req.method === 'GET' ? this.#route(key, path, hit, now) : { status: 405, body: { error: 'GET only' } }
    if (reply === 'reset') req.socket.destroy()
    else if (reply === 'slow') this.#answerLate(res)
    else send(res, reply.status, reply.body, reply.headers)
  }

  /** The script: what a GET to `key` gets on its `hit`-th request at time `now`. */
  #route(key: string, path: string, hit: number, now: number): Reply | 'reset' | 'slow' {
    switch (key) {
      case '/users/1':
        return hit === 1 ? 'reset' : { status: 200, body: { id: 1, name: 'Ada' } }
      case '/inventory':
        return hit <= 2 ? { status: 503, body: { error: 'warming up' } } : { status: 200, body: { items: 42 } }
      case '/quota':
        this.#rateLimitedSince ??= now
        return now - this.#rateLimitedSince < RATE_LIMIT_WINDOW_MS
          ? {
              status: 429,
              body: { error: 'slow down' },
              headers: { 'retry-after': String(RATE_LIMIT_WINDOW_MS / 1000) },
            }
          : { status: 200, body: { remaining: 99 } }
      case '/report':
        return hit === 1 ? 'slow' : { status: 200, body: { report: 'ready' } }
      case '/catalog/*':
        this.#outageSince ??= now
        if (now - this.#outageSince < OUTAGE_MS) {
          this.#outageRequests++
          return { status: 503, body: { error: 'outage' } }
        }
        return { status: 200, body: { product: path.slice('/catalog/'.length) } }
      default:
        return { status: 404, body: { error: 'not found' } }
    }
  }

  #answerLate(res: ServerResponse): void {
    const timer = setTimeout(() => {
      this.#timers.delete(timer)
      if (!res.destroyed) send(res, 200, { report: 'ready, eventually' })
    }, SLOW_RESPONSE_MS)
    this.#timers.add(timer)
    res.on('close', () => {
      clearTimeout(timer)
      this.#timers.delete(timer)
    })
  }
}

/** A scripted response. */
interface Reply {
  readonly status: number
  readonly body: unknown
  readonly headers?: Record<string, string>
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}
