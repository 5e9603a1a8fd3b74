import { createHash } from 'node:crypto'
import { describeValue } from '@redress/core/adapter'
import type { IoredisClientLike, NodeRedisClientLike, RedisClientLike } from './RedisClientLike.ts'

/**
 * A Lua script run with `EVALSHA`, falling back to `EVAL` when Redis does not have it cached
 * (`NOSCRIPT`, e.g. after a restart or on a new Cluster node). Each script touches only the
 * keys it is given, all in one hash slot.
 */
export class RedisScript {
  /** The Lua source. */
  readonly source: string
  /** Its SHA-1, as `EVALSHA` wants it. */
  readonly sha1: string

  constructor(source: string) {
    this.source = source
    this.sha1 = createHash('sha1').update(source).digest('hex')
  }

  /** Runs the script on `client`. Never throws: any failure is a rejected promise. */
  run(client: RedisClientLike, keys: string[], args: string[]): Promise<unknown> {
    try {
      if (isNodeRedis(client)) {
        const options = { keys, arguments: args }
        return client
          .evalSha(this.sha1, options)
          .catch((error: unknown) => (isNoScript(error) ? client.eval(this.source, options) : Promise.reject(error)))
      }
      const io = client as IoredisClientLike
      return io
        .evalsha(this.sha1, keys.length, ...keys, ...args)
        .catch((error: unknown) =>
          isNoScript(error) ? io.eval(this.source, keys.length, ...keys, ...args) : Promise.reject(error),
        )
    } catch (error) {
      return Promise.reject(error)
    }
  }
}

/** node-redis spells it `evalSha`; ioredis `evalsha`. */
function isNodeRedis(client: RedisClientLike): client is NodeRedisClientLike {
  return typeof (client as Partial<NodeRedisClientLike>).evalSha === 'function'
}

function isNoScript(error: unknown): boolean {
  try {
    const message = (error as { message?: unknown } | null)?.message
    return typeof message === 'string' && message.includes('NOSCRIPT')
  } catch {
    return false
  }
}

/**
 * Whether `client` says it is connected (ioredis: `status === 'ready'`; node-redis: `isReady`).
 * A client that says neither is assumed ready. Never throws.
 */
export function isClientReady(client: RedisClientLike): boolean {
  try {
    const c = client as { readonly status?: unknown; readonly isReady?: unknown }
    if (typeof c.isReady === 'boolean') return c.isReady
    if (typeof c.status === 'string') return c.status === 'ready'
    return true
  } catch {
    return false
  }
}

/** Checks the `client` option. @throws TypeError naming `owner`. */
export function checkClient(owner: string, client: unknown): RedisClientLike {
  const c = client as Partial<NodeRedisClientLike & IoredisClientLike> | null
  if (
    typeof c !== 'object' ||
    c === null ||
    (typeof c.evalSha !== 'function' && typeof c.evalsha !== 'function') ||
    typeof c.eval !== 'function'
  ) {
    throw new TypeError(
      `${owner}: client must be an ioredis or node-redis client (with eval and evalsha/evalSha), got ${describeValue(client)}`,
    )
  }
  return client as RedisClientLike
}
