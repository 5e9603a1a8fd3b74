import type { Server, Socket } from 'node:net'

/** A server listening on 127.0.0.1, with its sockets counted and a way to wait for what it sees. */
export interface LoopbackServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  /** Sockets open right now. */
  readonly openSockets: number
  /** The most sockets ever open at once. */
  readonly maxOpenSockets: number
  /** Sockets accepted since the start. */
  readonly totalSockets: number
  /**
   * Resolves once `check()` holds: checked now, then after every connection, every socket close
   * and every {@link LoopbackServer.changed} call — no polling and no time limit of its own (the
   * test's timeout bounds it). For waiting on what the server sees, e.g. `until(() => openSockets === 1)`.
   */
  until(check: () => boolean): Promise<void>
  /** Tells the waiters of {@link LoopbackServer.until} that something they may check changed (a request arrived). */
  changed(): void
  /** Destroys every socket still open and closes the server. */
  close(): Promise<void>
}

/**
 * Makes `server` (a `node:http` or `node:net` server) listen on a random port of 127.0.0.1, and
 * counts its sockets. The scripted servers of the tests share it, so each keeps only how it answers.
 *
 * @param owner names the caller in the error thrown when the server has no TCP address
 */
export async function listenLoopback(server: Server, owner: string): Promise<LoopbackServer> {
  const sockets = new Set<Socket>()
  let maxOpen = 0
  let total = 0
  let waiters: Array<{ check: () => boolean; resolve: () => void }> = []
  const changed = (): void => {
    if (waiters.length === 0) return
    const still: typeof waiters = []
    for (const waiter of waiters) {
      if (waiter.check()) waiter.resolve()
      else still.push(waiter)
    }
    waiters = still
  }
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    total += 1
    maxOpen = Math.max(maxOpen, sockets.size)
    socket.on('close', () => {
      sockets.delete(socket)
      changed()
    })
    changed()
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error(`${owner}: no TCP address`)
  return {
    origin: `http://127.0.0.1:${address.port}`,
    get openSockets(): number {
      return sockets.size
    },
    get maxOpenSockets(): number {
      return maxOpen
    },
    get totalSockets(): number {
      return total
    },
    until(check: () => boolean): Promise<void> {
      if (check()) return Promise.resolve()
      return new Promise((resolve) => waiters.push({ check, resolve }))
    },
    changed,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}
