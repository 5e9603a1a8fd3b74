import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** What the server does with one request. */
export type Step =
  /** Answer with this status, headers and body. */
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  /** Destroy the socket once the request has been read: the client sees a reset. */
  | { readonly destroy: true }
  /** Never answer: the request hangs until the client gives up or the server closes. */
  | { readonly hang: true }

/** A request as the server saw it. */
export interface SeenRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

/** A scripted-fault HTTP server on 127.0.0.1, port 0. */
export interface FaultServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  /** Every request, in arrival order. */
  readonly requests: SeenRequest[]
  /** Sockets open now. */
  openSockets(): number
  /** Closes the server and destroys every socket still open. */
  close(): Promise<void>
}

/** Starts a server answering the n-th request (0-based) with `script(n, request)`. */
export async function startFaultServer(script: (n: number, request: SeenRequest) => Step): Promise<FaultServer> {
  const requests: SeenRequest[] = []
  const sockets = new Set<Socket>()
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      }
      const step = script(requests.length, seen)
      requests.push(seen)
      if ('destroy' in step) {
        req.socket.destroy()
        return
      }
      if ('hang' in step) return
      res.writeHead(step.status, step.headers)
      res.end(step.body ?? '')
    })
  })
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** A port nothing listens on: bound once, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return port
}
