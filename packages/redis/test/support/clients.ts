import { Redis } from 'ioredis'
import { createClient } from 'redis'
import type { RedisClientLike } from '../../src/index.ts'

/** The two clients the package supports, as users create them. */
export type ClientKind = 'ioredis' | 'node-redis'

export const CLIENT_KINDS: readonly ClientKind[] = ['ioredis', 'node-redis']

/** A connected client plus what the tests need besides the package's interface. */
export interface TestClient {
  readonly kind: ClientKind
  readonly client: RedisClientLike
  /** Runs any command (for assertions and setup). */
  command(args: string[]): Promise<unknown>
  /** Closes the connection for good. */
  quit(): Promise<void>
}

/**
 * Connects a client of `kind` to 127.0.0.1:`port` and waits until it is ready. Errors are
 * listened to (both clients emit `error` while reconnecting), as any application must.
 */
export async function connect(kind: ClientKind, port: number): Promise<TestClient> {
  if (kind === 'ioredis') {
    const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => 50 })
    client.on('error', () => {})
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve)
      client.once('end', () => reject(new Error('ioredis: connection ended')))
    })
    return {
      kind,
      client,
      command: ([name, ...args]) => client.call(name as string, ...args),
      quit: async () => {
        await client.quit().catch(() => client.disconnect())
      },
    }
  }
  const client = createClient({ socket: { host: '127.0.0.1', port, reconnectStrategy: () => 50 } })
  client.on('error', () => {})
  await client.connect()
  return {
    kind,
    client,
    command: (args) => client.sendCommand(args),
    quit: async () => {
      if (client.isOpen) await client.close().catch(() => client.destroy())
    },
  }
}
