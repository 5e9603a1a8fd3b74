import { createRequire } from 'node:module'
import type { Redis } from 'ioredis'
import type { createClient } from 'redis'
import type { RedisClientLike } from '../../src/index.ts'
import { WAIT_MS } from './waitFor.ts'

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

// CI runs these tests again against the lowest and newest versions of the peer ranges
// (scripts/test-peers.mjs), with REDRESS_PEER_PATHS mapping each peer's name to a separately
// installed copy. It is read here rather than through vitest's aliases so that the fleet's
// child processes, which vitest does not load, use the same copies.
const require = createRequire(import.meta.url)
const peerPaths = JSON.parse(process.env['REDRESS_PEER_PATHS'] || '{}') as Record<string, string | undefined>
const load = <T>(name: string): T => require(peerPaths[name] || name) as T

/**
 * Connects a client of `kind` to 127.0.0.1:`port` and waits until it is ready, for up to
 * WAIT_MS (then it is closed and the error names it). Errors are listened to (both clients emit
 * `error` while reconnecting), as any application must.
 */
export async function connect(kind: ClientKind, port: number): Promise<TestClient> {
  let timer: ReturnType<typeof setTimeout> | undefined
  let made: TestClient | undefined
  const connecting = connectNow(kind, port, (c) => {
    made = c
  })
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      void made?.quit()
      reject(new Error(`${kind}: not connected to 127.0.0.1:${port} within ${WAIT_MS} ms`))
    }, WAIT_MS)
  })
  try {
    return await Promise.race([connecting, late])
  } finally {
    clearTimeout(timer)
  }
}

async function connectNow(kind: ClientKind, port: number, made: (c: TestClient) => void): Promise<TestClient> {
  if (kind === 'ioredis') {
    // ioredis exports the class as `Redis` from 5.3 on, and as the default export since 5.0.
    const io = load<{ Redis?: typeof Redis; default: typeof Redis }>('ioredis')
    const IORedis = io.Redis ?? io.default
    const client = new IORedis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1, retryStrategy: () => 50 })
    client.on('error', () => {})
    const test: TestClient = {
      kind,
      client,
      command: ([name, ...args]) => client.call(name as string, ...args),
      quit: async () => {
        await client.quit().catch(() => client.disconnect())
      },
    }
    made(test)
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve)
      client.once('end', () => reject(new Error('ioredis: connection ended')))
    })
    return test
  }
  const { createClient: create } = load<{ createClient: typeof createClient }>('redis')
  const client = create({ socket: { host: '127.0.0.1', port, reconnectStrategy: () => 50 } })
  client.on('error', () => {})
  // node-redis 5 closes with close(); 4 with quit().
  const legacy = client as unknown as { quit?: () => Promise<unknown>; close?: () => Promise<unknown> }
  const test: TestClient = {
    kind,
    client,
    command: (args) => client.sendCommand(args),
    quit: async () => {
      if (!client.isOpen) return
      await (legacy.close ?? legacy.quit)?.call(client).catch(() => client.disconnect())
    },
  }
  made(test)
  await client.connect()
  return test
}
