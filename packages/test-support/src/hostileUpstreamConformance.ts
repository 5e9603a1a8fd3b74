import { describe, expect, it } from 'vitest'
import type { AdapterDriver, ConformanceClient, ConformanceResponse } from './AdapterDriver.ts'
import { type RawServer, startRawServer } from './startRawServer.ts'
import { virtualPolicy } from './virtualPolicy.ts'

/** One malformed or hostile answer: the bytes (Latin-1) a server writes to every request before it closes the connection. */
export interface HostileResponse {
  readonly name: string
  readonly bytes: string
}

const head = (statusLine: string, ...headers: string[]): string => `${statusLine}\r\n${headers.join('\r\n')}\r\n\r\n`
const length = (body: string): string => `Content-Length: ${Buffer.byteLength(body, 'latin1')}`
/** A 503 (retried by every adapter) carrying `headers` and a short body. */
const busy = (...headers: string[]): string => `${head('HTTP/1.1 503 Busy', ...headers, length('busy'))}busy`
/** A 429 carrying `headers` and a short body. */
const limited = (...headers: string[]): string => `${head('HTTP/1.1 429 Too Many', ...headers, length('slow'))}slow`

/**
 * The hostile upstream's answers: malformed status lines, header sections and bodies, and
 * nonsense in the headers redress itself reads (`Retry-After`, the RateLimit fields). Each is
 * written whole, then the server closes the connection.
 */
export const HOSTILE_RESPONSES: readonly HostileResponse[] = [
  // Status lines.
  { name: 'a status code that is not a number', bytes: `${head('HTTP/1.1 abc Bad', length('x'))}x` },
  { name: 'a two-digit status code', bytes: `${head('HTTP/1.1 20 OK', length('x'))}x` },
  { name: 'a four-digit status code', bytes: `${head('HTTP/1.1 5030 Busy', length('x'))}x` },
  { name: 'a status code above 599', bytes: `${head('HTTP/1.1 999 Weird', length('x'))}x` },
  { name: 'a 503 with no reason phrase', bytes: `${head('HTTP/1.1 503', length('busy'))}busy` },
  { name: 'an HTTP version that does not exist', bytes: `${head('HTTP/2.0 200 OK', length('x'))}x` },
  { name: 'no HTTP at all', bytes: 'hello, world\r\n\r\n' },
  { name: 'lines ended by a bare LF', bytes: 'HTTP/1.1 503 Busy\nContent-Length: 4\n\nbusy' },
  { name: 'nothing before the close', bytes: '' },
  { name: 'a head cut off before its blank line', bytes: 'HTTP/1.1 503 Busy\r\nRetry-After: 1\r\n' },
  { name: 'an HTTP/1.0 200 whose body ends with the close', bytes: 'HTTP/1.0 200 OK\r\n\r\nuntil the close' },
  // Header sections.
  { name: 'a header line without a colon', bytes: busy('Not a header') },
  { name: 'a space inside a header name', bytes: busy('Retry After: 1') },
  { name: 'a NUL byte inside a header value', bytes: busy('Retry-After: 1\u0000') },
  { name: 'an obs-fold continuation line', bytes: busy('Retry-After: 1', ' 2') },
  {
    name: 'two different Content-Length values',
    bytes: `${head('HTTP/1.1 200 OK', 'Content-Length: 2', 'Content-Length: 3')}abc`,
  },
  { name: 'a negative Content-Length', bytes: `${head('HTTP/1.1 503 Busy', 'Content-Length: -1')}busy` },
  { name: 'a Content-Length that is not a number', bytes: `${head('HTTP/1.1 503 Busy', 'Content-Length: four')}busy` },
  {
    name: 'a Content-Length beside Transfer-Encoding: chunked',
    bytes: `${head('HTTP/1.1 503 Busy', 'Content-Length: 4', 'Transfer-Encoding: chunked')}4\r\nbusy\r\n0\r\n\r\n`,
  },
  { name: 'an unknown Transfer-Encoding', bytes: `${head('HTTP/1.1 503 Busy', 'Transfer-Encoding: rot13')}busy` },
  { name: 'a 64 KiB header value', bytes: busy(`X-Large: ${'a'.repeat(65_536)}`) },
  { name: '2 000 header lines', bytes: busy(...Array.from({ length: 2_000 }, (_, i) => `X-H${i}: ${i}`)) },
  // Bodies.
  {
    name: 'a 200 whose body is shorter than its Content-Length',
    bytes: `${head('HTTP/1.1 200 OK', 'Content-Length: 10')}short`,
  },
  {
    name: 'a 503 whose body is shorter than its Content-Length',
    bytes: `${head('HTTP/1.1 503 Busy', 'Content-Length: 10')}short`,
  },
  { name: 'a body longer than its Content-Length', bytes: `${head('HTTP/1.1 200 OK', length('ok'))}ok, and more` },
  {
    name: 'a chunk size that is not hexadecimal',
    bytes: `${head('HTTP/1.1 503 Busy', 'Transfer-Encoding: chunked')}zz\r\nbusy\r\n0\r\n\r\n`,
  },
  {
    name: 'a chunked body cut before its last chunk',
    bytes: `${head('HTTP/1.1 200 OK', 'Transfer-Encoding: chunked')}5\r\nhello\r\n`,
  },
  {
    name: 'a gzip Content-Encoding over bytes that are not gzip',
    bytes: `${head('HTTP/1.1 200 OK', 'Content-Encoding: gzip', length('plain text'))}plain text`,
  },
  { name: 'a 204 that sends a body', bytes: `${head('HTTP/1.1 204 No Content', length('body'))}body` },
  // Informational responses.
  {
    name: 'a 103 Early Hints and then the close',
    bytes: head('HTTP/1.1 103 Early Hints', 'Link: </a.css>; rel=preload'),
  },
  // What redress reads: retry hints.
  { name: 'a negative Retry-After', bytes: busy('Retry-After: -5') },
  { name: 'a Retry-After of 10^20 seconds', bytes: busy('Retry-After: 100000000000000000000') },
  { name: 'a Retry-After date that is no date', bytes: busy('Retry-After: Fri, 99 Foo 2026 99:99:99 GMT') },
  { name: 'a Retry-After of Latin-1 bytes', bytes: busy('Retry-After: \u00ff\u00fe1') },
  { name: 'a RateLimit field that is not a structured field', bytes: limited('RateLimit: ;;=,,"') },
  { name: 'a RateLimit reset that is negative', bytes: limited('RateLimit: "default";r=0;t=-5') },
  { name: 'a RateLimit-Reset that is not a number', bytes: limited('RateLimit-Reset: NaN') },
  {
    name: 'an X-RateLimit-Reset of 10^30 epoch seconds',
    bytes: limited('X-RateLimit-Remaining: 0', 'X-RateLimit-Reset: 1e30'),
  },
]

/**
 * A `101 Switching Protocols` to a request that asked for no upgrade. axios's http adapter alone
 * never settles on it (Node's client hands the socket to an `upgrade` listener nobody added), so
 * it is not compared with the client alone: redress must end the run, at its deadline at the latest.
 */
const UNASKED_UPGRADE = head('HTTP/1.1 101 Switching Protocols', 'Upgrade: websocket', 'Connection: Upgrade')

/** How a request ended: the response (body read whole) or a rejection, told apart by its error's name and codes. */
type Ending = { readonly response: ConformanceResponse } | { readonly rejected: string }

/** The name, code and `cause` codes of an error: what tells two rejections apart, whatever the attempt. */
function signature(error: unknown, depth = 0): string {
  if (typeof error !== 'object' || error === null || depth > 8) return String(error)
  const { name, code, cause } = error as { name?: unknown; code?: unknown; cause?: unknown }
  const own = `${String(name)}${code === undefined ? '' : `(${String(code)})`}`
  return cause === undefined ? own : `${own} <- ${signature(cause, depth + 1)}`
}

async function ending(client: ConformanceClient): Promise<Ending> {
  try {
    return { response: await client.send({ method: 'GET', path: '/hostile' }) }
  } catch (error) {
    return { rejected: signature(error) }
  } finally {
    await client.close()
  }
}

/** The attempts a GET gets from the suite's policy. */
const MAX_ATTEMPTS = 3

/**
 * Registers the hostile-upstream suite for `driver` (issue 14): for each of
 * {@link HOSTILE_RESPONSES}, sent by a raw TCP server on 127.0.0.1, the adapter ends a GET the way
 * the same client ends it without redress — the same status and body, or a rejection with the same
 * error — after at most its policy's attempts; it leaves no timer on the policy's clock and no
 * connection open at the server. Nothing hangs: every answer ends with the server closing the
 * connection, and the policy's backoff sleeps are skipped on virtual time.
 */
export function hostileUpstreamConformance(driver: AdapterDriver): void {
  describe(`${driver.name}: a hostile upstream`, () => {
    for (const hostile of HOSTILE_RESPONSES)
      it(`ends as the client alone does, leaving no timer nor connection: ${hostile.name}`, async () => {
        const server: RawServer = await startRawServer((socket) => socket.end(hostile.bytes, 'latin1'))
        try {
          const alone = await ending(driver.makeClient({ origin: server.origin }))
          await server.until(() => server.openSockets === 0)
          const sentAlone = server.requests.length

          const { policy, clock } = virtualPolicy({ budget: null, maxAttempts: MAX_ATTEMPTS })
          const made = driver.makeClient({ origin: server.origin, redress: { policy } })
          const pending = made.send({ method: 'GET', path: '/hostile' })
          const redressed = await pending.then(
            (response): Ending => ({ response }),
            (error: unknown): Ending => ({ rejected: signature(error) }),
          )
          expect(redressed).toEqual(alone)
          expect(server.requests.length - sentAlone).toBeGreaterThanOrEqual(1)
          expect(server.requests.length - sentAlone).toBeLessThanOrEqual(MAX_ATTEMPTS)
          expect(clock.pendingCount).toBe(0)
          // Every connection the adapter opened was let go of before its client is closed.
          await server.until(() => server.openSockets === 0)
          await made.close()
        } finally {
          await server.close()
        }
      })

    it('ends a GET answered by a 101 Switching Protocols nobody asked for, by its deadline at the latest', async () => {
      const server = await startRawServer((socket) => socket.end(UNASKED_UPGRADE, 'latin1'))
      try {
        const { policy, clock } = virtualPolicy({ budget: null, maxAttempts: MAX_ATTEMPTS, deadlineMs: 10_000 })
        const made = driver.makeClient({ origin: server.origin, redress: { policy } })
        const ended = made.send({ method: 'GET', path: '/upgrade' }).then(
          (response): Ending => ({ response }),
          (error: unknown): Ending => ({ rejected: signature(error) }),
        )
        await server.until(() => server.requests.length >= 1)
        // A transport that rejects the 101 has ended the run (or will, within its attempts); one
        // that never settles on it is ended by the deadline.
        await clock.advance(10_000)
        expect(await ended).toEqual({ rejected: expect.any(String) })
        expect(server.requests.length).toBeLessThanOrEqual(MAX_ATTEMPTS)
        expect(clock.pendingCount).toBe(0)
        await server.until(() => server.openSockets === 0)
        await made.close()
      } finally {
        await server.close()
      }
    })
  })
}
