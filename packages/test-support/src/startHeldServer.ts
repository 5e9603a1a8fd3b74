import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http'
import { type LoopbackServer, listenLoopback } from './listenLoopback.ts'

/** A request the held server received whole, waiting for the test to answer it. */
export interface HeldRequest {
  /** 0-based arrival order. */
  readonly index: number
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  /** The body, decoded as UTF-8. */
  readonly body: string
  /** Sends a complete response (with a Content-Length); does nothing once the request closed. */
  respond(status: number, body?: string | Buffer, headers?: Record<string, string>): void
  /** Resolves when the client closed the request before it was answered (it aborted), or its socket closed. */
  readonly closed: Promise<void>
  /** True once the client went away before a response was sent. */
  readonly abandoned: boolean
}

/** A `node:http` server on 127.0.0.1 whose requests wait until the test answers them. */
export interface HeldServer extends LoopbackServer {
  /** Every request, in arrival order. */
  readonly requests: readonly HeldRequest[]
  /** The next request to arrive (or the earliest not yet taken), in order. */
  next(): Promise<HeldRequest>
}

/**
 * Starts a server on a random port of 127.0.0.1 that holds every request until the test answers
 * it (`request.respond`), or hands each to `onRequest` as it arrives. For tests that must decide
 * when, and in which order, concurrent requests are answered — hedged attempts — without a timer.
 */
export async function startHeldServer(onRequest?: (request: HeldRequest) => void): Promise<HeldServer> {
  const requests: HeldRequest[] = []
  const waiting: Array<(request: HeldRequest) => void> = []
  let taken = 0
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const request = held(requests.length, req.method ?? '', req.url ?? '', req.headers, chunks, res)
      requests.push(request)
      onRequest?.(request)
      const waiter = waiting.shift()
      if (waiter !== undefined) {
        taken++
        waiter(request)
      }
      loopback.changed()
    })
  })
  const loopback = await listenLoopback(server, 'startHeldServer')
  return Object.assign(loopback, {
    requests,
    next(): Promise<HeldRequest> {
      const ready = requests[taken]
      if (ready !== undefined) {
        taken++
        return Promise.resolve(ready)
      }
      return new Promise<HeldRequest>((resolve) => waiting.push(resolve))
    },
  })
}

function held(
  index: number,
  method: string,
  url: string,
  headers: IncomingHttpHeaders,
  chunks: Buffer[],
  res: ServerResponse,
): HeldRequest {
  let abandoned = false
  let answered = false
  const closed = new Promise<void>((resolve) => {
    res.on('close', () => {
      if (!answered) abandoned = true
      resolve()
    })
  })
  return {
    index,
    method,
    url,
    headers,
    body: Buffer.concat(chunks).toString('utf8'),
    respond(status, body = '', extra = {}) {
      if (answered || res.destroyed || res.writableEnded) return
      answered = true
      res.writeHead(status, { 'content-length': String(Buffer.byteLength(body)), ...extra })
      res.end(body)
    },
    closed,
    get abandoned() {
      return abandoned
    },
  }
}
