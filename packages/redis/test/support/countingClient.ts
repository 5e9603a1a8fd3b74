import type { RedisClientLike } from '../../src/index.ts'

/** A client as an object under test gets it, with what that object asked of it counted. */
export interface CountingClient {
  /** The same client, counting. */
  readonly client: RedisClientLike
  /** Script calls made through it (`eval`, `evalsha`, `evalSha`). */
  calls(): number
  /** Times it was asked whether it is connected (`status`, `isReady`): once per sync attempt at least. */
  readinessChecks(): number
}

const SCRIPT_METHODS = new Set(['eval', 'evalsha', 'evalSha'])
const READINESS = new Set(['status', 'isReady'])

/** Wraps `client` (any method still runs on the real client) to count script calls and readiness checks. */
export function countingClient(client: RedisClientLike): CountingClient {
  let calls = 0
  let readinessChecks = 0
  const counted = new Proxy(client, {
    get(target, property) {
      if (READINESS.has(String(property))) readinessChecks++
      const value: unknown = Reflect.get(target, property, target)
      if (typeof value !== 'function' || !SCRIPT_METHODS.has(String(property))) return value
      return (...args: unknown[]): unknown => {
        calls++
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
  return { client: counted, calls: () => calls, readinessChecks: () => readinessChecks }
}
