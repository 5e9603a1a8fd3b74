import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

/** What the server does with one request. */
export type Step =
  /** Answer with this status, headers and body. */
  | { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string }
  /** Destroy the socket once the request has been read (the client sees ECONNRESET / "other side closed"). */
  | { readonly destroy: true }
  /** Never send the headers: the request hangs until the client gives up or the server closes. */
  | { readonly hang: true }

/** A request as the server saw it, body included. */
export interface SeenRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage['headers']
  readonly body: Buffer
}

/** A scripted-fault HTTP server on 127.0.0.1 and a random port. */
export interface FaultServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  /** Every request, in arrival order. */
  readonly requests: SeenRequest[]
  /** Connections accepted since start. */
  readonly connections: () => number
  /** Connections open now. */
  readonly openSockets: () => number
  /** Closes the server and destroys every socket still open. */
  close(): Promise<void>
}

/**
 * Starts a server that answers the n-th request (0-based) with `script(n, request)`, or with the
 * n-th step of an array (the last step repeats once the array runs out).
 */
export async function startFaultServer(
  script: readonly Step[] | ((n: number, request: SeenRequest) => Step),
): Promise<FaultServer> {
  const requests: SeenRequest[] = []
  const sockets = new Set<Socket>()
  let connections = 0
  const stepFor = (n: number, request: SeenRequest): Step => {
    if (typeof script === 'function') return script(n, request)
    const step = script[Math.min(n, script.length - 1)]
    if (step === undefined) throw new Error('empty script')
    return step
  }
  const server: Server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      }
      const step = stepFor(requests.length, seen)
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
    connections++
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    connections: () => connections,
    openSockets: () => sockets.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

/** The origin of a port nothing listens on (a server that was started, then closed). */
export async function closedPortOrigin(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${port}`
}
