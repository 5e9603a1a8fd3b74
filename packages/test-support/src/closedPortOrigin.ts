import { createServer } from 'node:http'

/**
 * The origin `http://127.0.0.1:<port>` of a port that refuses connections: it was bound, then
 * released, so a client sees ECONNREFUSED and the server provably never saw the request.
 */
export async function closedPortOrigin(): Promise<string> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('closedPortOrigin: no port')
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return `http://127.0.0.1:${address.port}`
}
