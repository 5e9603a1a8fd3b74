import { createServer, type Socket } from 'node:net'
import { type LoopbackServer, listenLoopback } from './listenLoopback.ts'

/**
 * What the raw server does with the index-th request (0-based, across connections): write any
 * bytes to `socket`, destroy it, or nothing at all.
 */
export type RawStep = (socket: Socket, index: number) => void

/** A `node:net` server on 127.0.0.1 that answers requests byte by byte; `until` is also checked as each request arrives. */
export interface RawServer extends LoopbackServer {
  /** The head of every request (request line and headers), in arrival order. */
  readonly requests: string[]
}

/**
 * Starts a raw TCP server speaking just enough HTTP/1.1 to script byte-level responses (an
 * informational `103` before the final head, a body trickled byte by byte). Requests must have
 * no body (GET, HEAD): a request ends at its blank line.
 */
export async function startRawServer(step: RawStep): Promise<RawServer> {
  const requests: string[] = []
  const server = createServer((socket) => {
    // A client may reset the socket (an aborted request): nothing for the server to do.
    socket.on('error', () => {})
    let pending = ''
    socket.on('data', (data: Buffer) => {
      pending += data.toString('latin1')
      for (let end = pending.indexOf('\r\n\r\n'); end !== -1; end = pending.indexOf('\r\n\r\n')) {
        requests.push(pending.slice(0, end))
        pending = pending.slice(end + 4)
        step(socket, requests.length - 1)
        loopback.changed()
      }
    })
  })
  const loopback = await listenLoopback(server, 'startRawServer')
  return Object.assign(loopback, { requests })
}

/** An informational `103 Early Hints` head, as a server sends it before the final response. */
export const EARLY_HINTS = 'HTTP/1.1 103 Early Hints\r\nLink: </style.css>; rel=preload; as=style\r\n\r\n'

/** A complete keep-alive response with a `Content-Length` body. */
export function response(status: number, body: string, reason = 'X'): string {
  return `HTTP/1.1 ${status} ${reason}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nContent-Type: text/plain\r\n\r\n${body}`
}
