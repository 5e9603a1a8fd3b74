import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { afterEach } from 'vitest'
import { type LoopbackServer, listenLoopback } from './listenLoopback.ts'
import { seededBytes } from './rangeBodies.ts'

/** How the range server answers one request (0-based index, in arrival order). */
export interface RangeStep {
  /** Destroys the socket once this many bytes of this response's body were written: a cut. */
  readonly cutAfter?: number
  /** Answers `200` with the whole body whatever the request's `Range` says (a server without range support). */
  readonly ignoreRange?: boolean
  /** Serves the second representation (another `ETag`/`Last-Modified`, other bytes): the resource changed. */
  readonly changed?: boolean
  /** Honours `Range` but ignores `If-Match`, `If-Unmodified-Since` and `If-Range` (a careless server). */
  readonly ignoreConditionals?: boolean
  /** Adds this many bytes to the first position a `206`'s `Content-Range` names, sending the same bytes (a broken server). */
  readonly shiftContentRange?: number
  /** Answers this status with an empty body instead (e.g. `503`). */
  readonly status?: number
  /** Never answers (slow headers). */
  readonly hang?: boolean
  /** More headers on this answer, whatever it is (e.g. `retry-after` on a `503`). @default none */
  readonly headers?: Readonly<Record<string, string>>
}

/** What identifies the representations the server serves. */
export type RangeValidator = 'etag' | 'last-modified' | 'none'

/** Options of {@link startRangeServer}. */
export interface RangeServerOptions {
  /** The body of the first representation. */
  readonly body: Uint8Array
  /** Which validator the responses carry. @default 'etag' */
  readonly validator?: RangeValidator
  /** How to answer each request; a plain answer when it returns `undefined`. @default none */
  readonly script?: (index: number, request: RangeRequest) => RangeStep | undefined
  /** Sends the body with `Transfer-Encoding: chunked`, no `Content-Length`. @default false */
  readonly chunked?: boolean
  /** More headers on every `200`/`206` (e.g. `content-encoding: gzip` for a body given gzipped). @default none */
  readonly headers?: Readonly<Record<string, string>>
}

/** A request as the range server received it. */
export interface RangeRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
}

/**
 * A loopback server that serves one body with `Range` support and scripted cuts. `until` is also
 * checked as each request arrives and as each request's connection closes. Sockets are counted as
 * on every loopback server, but undici may open an idle one after an abort: prefer
 * {@link RangeServer.connectionClosed}.
 */
export interface RangeServer extends LoopbackServer {
  /** Every request, in arrival order. */
  readonly requests: RangeRequest[]
  /** Response body bytes written so far, over all requests. */
  readonly bodyBytesSent: number
  /** Whether the connection the `index`-th request (0-based) arrived on has closed. */
  connectionClosed(index: number): boolean
}

const WRITE_BYTES = 65_536
const LAST_MODIFIED = ['Tue, 15 Nov 1994 08:12:31 GMT', 'Wed, 16 Nov 1994 08:12:31 GMT'] as const
const ETAGS = ['"rep-1"', '"rep-2"'] as const

/**
 * Registers an `afterEach` (call it at the top of a test file) that closes every range server
 * the returned `serve` started during the test; `serve` starts one (see {@link startRangeServer}).
 */
export function rangeServers(): (options: RangeServerOptions) => Promise<RangeServer> {
  const servers: RangeServer[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close()
  })
  return async (options) => {
    const server = await startRangeServer(options)
    servers.push(server)
    return server
  }
}

/**
 * Starts a `node:http` server on 127.0.0.1 port 0 that serves `body` at every path, with an
 * `ETag` or `Last-Modified` validator (or none), `Accept-Ranges: bytes`, and single-range
 * requests answered as RFC 9110 says (`206` + `Content-Range`, `412` when `If-Match` or
 * `If-Unmodified-Since` fails, `200` when `If-Range` does not match, `416` past the end) —
 * unless the script says to misbehave or cut.
 */
export async function startRangeServer(options: RangeServerOptions): Promise<RangeServer> {
  const validator = options.validator ?? 'etag'
  const bodies = [options.body, seededBytes(options.body.length, 0x5eed)] as const
  const requests: RangeRequest[] = []
  let bodyBytesSent = 0
  // The connection each request (by index) arrived on. One `close` listener per connection, not
  // per request: a kept-alive connection serving ten requests would pass Node's limit of 10 and
  // print a MaxListenersExceededWarning (it did in CI's Node 22 + undici 8 job).
  const connectionOf: Socket[] = []
  const closedSockets = new WeakSet<Socket>()

  const server: Server = createServer((req, res) => {
    const request: RangeRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers }
    const index = requests.length
    const step = options.script?.(index, request) ?? {}
    requests.push(request)
    connectionOf[index] = req.socket
    if (req.socket.destroyed) closedSockets.add(req.socket)
    loopback.changed()
    if (step.hang === true) return
    if (step.status !== undefined) {
      res.writeHead(step.status, { 'content-length': '0', ...step.headers })
      res.end()
      return
    }
    const rep = step.changed === true ? 1 : 0
    const body = bodies[rep]
    const headers: Record<string, string> = {
      'accept-ranges': 'bytes',
      date: new Date().toUTCString(),
      ...options.headers,
      ...step.headers,
    }
    if (validator === 'etag') headers['etag'] = ETAGS[rep]
    if (validator === 'last-modified') headers['last-modified'] = LAST_MODIFIED[rep]
    let status = 200
    let from = 0
    let to = body.length - 1
    const range = req.headers.range
    if (range !== undefined && step.ignoreRange !== true) {
      if (step.ignoreConditionals !== true && !preconditionsHold(req.headers, rep, validator)) {
        res.writeHead(412, { 'content-length': '0' })
        res.end()
        return
      }
      const match = /^bytes=(\d+)-(\d*)$/.exec(range)
      const ifRange = req.headers['if-range']
      const rangeApplies =
        step.ignoreConditionals === true || ifRange === undefined || ifRange === currentValidator(rep, validator)
      if (match !== null && rangeApplies) {
        from = Number(match[1])
        to = match[2] === '' ? body.length - 1 : Math.min(Number(match[2]), body.length - 1)
        if (from > to) {
          res.writeHead(416, { 'content-range': `bytes */${body.length}`, 'content-length': '0' })
          res.end()
          return
        }
        status = 206
        headers['content-range'] = `bytes ${from + (step.shiftContentRange ?? 0)}-${to}/${body.length}`
      }
    }
    if (options.chunked !== true) headers['content-length'] = String(to - from + 1)
    res.writeHead(status, headers)
    const slice = body.subarray(from, to + 1)
    const limit = step.cutAfter === undefined ? slice.length : Math.min(step.cutAfter, slice.length)
    write(res, slice.subarray(0, limit), (n) => {
      bodyBytesSent += n
    }).then(() => {
      if (step.cutAfter !== undefined) setImmediate(() => req.socket.destroy())
      else res.end()
    })
  })
  server.keepAliveTimeout = 60_000
  server.on('connection', (socket: Socket) => {
    socket.once('close', () => {
      closedSockets.add(socket)
      loopback.changed()
    })
  })
  const loopback = await listenLoopback(server, 'startRangeServer')
  const own = {
    requests,
    get bodyBytesSent(): number {
      return bodyBytesSent
    },
    connectionClosed: (index: number) => {
      const socket = connectionOf[index]
      return socket !== undefined && closedSockets.has(socket)
    },
  }
  // Descriptors, not Object.assign: the byte count stays a live getter.
  return Object.defineProperties(loopback, Object.getOwnPropertyDescriptors(own)) as LoopbackServer & typeof own
}

function currentValidator(rep: 0 | 1, validator: RangeValidator): string | undefined {
  if (validator === 'etag') return ETAGS[rep]
  if (validator === 'last-modified') return LAST_MODIFIED[rep]
  return undefined
}

function preconditionsHold(headers: IncomingHttpHeaders, rep: 0 | 1, validator: RangeValidator): boolean {
  const ifMatch = headers['if-match']
  if (ifMatch !== undefined && ifMatch !== '*' && (validator !== 'etag' || ifMatch !== ETAGS[rep])) return false
  const since = headers['if-unmodified-since']
  if (since !== undefined && validator === 'last-modified' && Date.parse(LAST_MODIFIED[rep]) > Date.parse(since)) {
    return false
  }
  return true
}

/**
 * Writes `bytes` in slices, waiting for the socket to drain; resolves when all were handed to the
 * kernel. The last slice is awaited until its write callback, not only until it is queued: a cut
 * destroys the socket next, which would drop what is still queued and cut short of `cutAfter`.
 */
async function write(res: ServerResponse, bytes: Uint8Array, sent: (n: number) => void): Promise<void> {
  let closed = res.destroyed
  let wake: (() => void) | undefined
  const onClose = (): void => {
    closed = true
    wake?.()
  }
  res.once('close', onClose)
  try {
    for (let at = 0; at < bytes.length && !closed; at += WRITE_BYTES) {
      const part = bytes.subarray(at, at + WRITE_BYTES)
      sent(part.length)
      const last = at + WRITE_BYTES >= bytes.length
      await new Promise<void>((resolve) => {
        wake = resolve
        if (last) res.write(part, () => resolve())
        else if (res.write(part)) resolve()
        else res.once('drain', resolve)
      })
      res.off('drain', wake ?? (() => {}))
      wake = undefined
    }
  } finally {
    res.off('close', onClose)
  }
}
