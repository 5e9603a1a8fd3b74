import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { type LoopbackServer, listenLoopback } from './listenLoopback.ts'

/**
 * What the fault server does with one request, once it has read it whole. A complete response or
 * a reset may be preceded by an informational `103 Early Hints` (`earlyHints: true`), which the
 * client must not take for the attempt's response.
 */
export type FaultStep =
  /**
   * A complete response. `body` is sent with a Content-Length, or with `chunked: true` in chunks
   * of 64 KiB and no length.
   */
  | {
      readonly status: number
      readonly headers?: Record<string, string>
      readonly body?: string | Buffer
      readonly chunked?: boolean
      readonly earlyHints?: boolean
    }
  /** Headers and the start of a body declared `declaredLength` bytes long, then the socket is destroyed. */
  | { readonly status: number; readonly partialBody: string; readonly declaredLength: number }
  /** The socket is destroyed before any final response byte: the client sees a reset ("other side closed"). */
  | { readonly destroy: true; readonly earlyHints?: boolean }
  /** No (final) answer at all until the client gives up or the server closes (slow headers). */
  | { readonly hang: true; readonly earlyHints?: boolean }

/** A request as the server received it; the body is decoded as UTF-8. */
export interface RecordedRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

/**
 * How the server answers: the index-th step of an array (0-based; the last step repeats once the
 * array runs out), or `script(index, request)`.
 */
export type FaultScript = readonly FaultStep[] | ((index: number, request: RecordedRequest) => FaultStep)

/**
 * A scripted-fault `node:http` server on 127.0.0.1 that records requests and counts sockets;
 * `until` is also checked as each request is recorded.
 */
export interface FaultServer extends LoopbackServer {
  /** Every request, in arrival order. */
  readonly requests: RecordedRequest[]
}

const CHUNK_BYTES = 65_536
/** The hints of a `103 Early Hints` step. */
const EARLY_HINTS = { link: '</style.css>; rel=preload; as=style' }

function stepFor(script: FaultScript, index: number, request: RecordedRequest): FaultStep {
  if (typeof script === 'function') return script(index, request)
  const step = script[Math.min(index, script.length - 1)]
  if (step === undefined) throw new Error('startFaultServer: the script has no step')
  return step
}

/** Starts a fault server on a random port of 127.0.0.1 that answers by `script`. */
export async function startFaultServer(script: FaultScript): Promise<FaultServer> {
  const requests: RecordedRequest[] = []
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
      const step = stepFor(script, requests.length, recorded)
      requests.push(recorded)
      loopback.changed()
      if ('earlyHints' in step && step.earlyHints === true) res.writeEarlyHints(EARLY_HINTS, () => answer(step))
      else answer(step)
    })

    function answer(step: FaultStep): void {
      if ('hang' in step) return
      if ('destroy' in step) {
        req.socket.destroy()
        return
      }
      if ('partialBody' in step) {
        res.writeHead(step.status, { 'content-length': String(step.declaredLength) })
        // Destroyed on the next turn so the partial body leaves the socket before the reset.
        res.write(step.partialBody, () => setImmediate(() => req.socket.destroy()))
        return
      }
      const body = step.body ?? ''
      if (step.chunked === true) {
        res.writeHead(step.status, step.headers)
        const bytes = Buffer.from(body)
        for (let at = 0; at < bytes.length; at += CHUNK_BYTES) res.write(bytes.subarray(at, at + CHUNK_BYTES))
        res.end()
        return
      }
      res.writeHead(step.status, { 'content-length': String(Buffer.byteLength(body)), ...step.headers })
      res.end(body)
    }
  })
  // Longer than any test, so a socket closes only when a client or a step closes it.
  server.keepAliveTimeout = 60_000
  const loopback = await listenLoopback(server, 'startFaultServer')
  return Object.assign(loopback, { requests })
}
