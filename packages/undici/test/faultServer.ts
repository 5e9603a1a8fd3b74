import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { Socket } from 'node:net'

/** One scripted answer of the fault server. */
export type Fault =
  /**
   * A complete response. `body` may be large: it is written as given, with a Content-Length, or
   * with `chunked: true` in chunks of 64 KiB and no length.
   */
  | {
      readonly status: number
      readonly headers?: Record<string, string>
      readonly body?: string | Buffer
      readonly chunked?: boolean
    }
  /** The socket is destroyed before any response byte (a reset on a reused keep-alive socket). */
  | { readonly destroy: 'before-headers' }
  /** Headers and part of a declared body are sent, then the socket is destroyed. */
  | { readonly status: number; readonly partialBody: string; readonly declaredLength: number }
  /** No answer at all until the server closes (slow headers). */
  | { readonly hang: true }

/** A request as the server received it. */
export interface RecordedRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/** A `node:http` server on 127.0.0.1 that answers by script and counts requests and sockets. */
export interface FaultServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  readonly requests: RecordedRequest[]
  /** Sockets open right now. */
  readonly openSockets: number
  /** The most sockets ever open at once. */
  readonly maxOpenSockets: number
  /** Sockets ever accepted. */
  readonly totalSockets: number
  close(): Promise<void>
}

/** Starts a fault server; `script(request, index)` picks the answer to the index-th request (0-based). */
export async function startFaultServer(
  script: (request: RecordedRequest, index: number) => Fault,
): Promise<FaultServer> {
  const requests: RecordedRequest[] = []
  const sockets = new Set<Socket>()
  let maxOpen = 0
  let total = 0
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      const index = requests.push(recorded) - 1
      const fault = script(recorded, index)
      if ('hang' in fault) return
      if ('destroy' in fault) {
        req.socket.destroy()
        return
      }
      if ('partialBody' in fault) {
        res.writeHead(fault.status, { 'content-length': String(fault.declaredLength) })
        res.write(fault.partialBody, () => setImmediate(() => req.socket.destroy()))
        return
      }
      const body = fault.body ?? ''
      if (fault.chunked === true) {
        res.writeHead(fault.status, fault.headers)
        const bytes = Buffer.from(body)
        for (let at = 0; at < bytes.length; at += 65_536) res.write(bytes.subarray(at, at + 65_536))
        res.end()
        return
      }
      res.writeHead(fault.status, { 'content-length': String(Buffer.byteLength(body)), ...fault.headers })
      res.end(body)
    })
  })
  server.keepAliveTimeout = 60_000
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    total += 1
    maxOpen = Math.max(maxOpen, sockets.size)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  return {
    origin: `http://127.0.0.1:${address.port}`,
    requests,
    get openSockets() {
      return sockets.size
    },
    get maxOpenSockets() {
      return maxOpen
    },
    get totalSockets() {
      return total
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** A port on 127.0.0.1 that refuses connections: it was bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return address.port
}
