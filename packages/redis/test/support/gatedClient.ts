import type { RedisClientLike } from '../../src/index.ts'

/**
 * A client whose answers to breaker syncs that carry failures can be held back: the command
 * reaches Redis at once (Redis applies it), its answer reaches the caller when released. It
 * makes a sync that is still unanswered while the process records more failures happen on cue.
 */
export interface GatedClient {
  /** The same client, gated. */
  readonly client: RedisClientLike
  /** From now on, holds the answers to syncs that carry failures (others go through). */
  hold(): void
  /** Syncs with failures whose answers were held so far (released or not). */
  heldSoFar(): number
  /** Failures each sync still held carries, oldest first. */
  held(): number[]
  /** Lets the oldest held answer through. */
  releaseOne(): void
  /** Stops holding and lets every held answer through. */
  releaseAll(): void
}

const SCRIPT_METHODS = new Set(['eval', 'evalsha', 'evalSha'])
/** The breaker script's fixed ARGV (see `breakerArgs`); (class, age) pairs of failures follow. */
const FIXED_BREAKER_ARGS = 10
const BREAKER_KEYS = 2

/** How many failures a breaker script call carries, from its arguments in either client's form. */
function failuresCarried(args: readonly unknown[]): number {
  const second = args[1]
  // node-redis: (sha or source, { keys, arguments }); ioredis: (sha or source, numKeys, ...keys, ...argv).
  let keyCount: number
  let argv: readonly unknown[]
  if (typeof second === 'object' && second !== null) {
    const { keys, arguments: rest } = second as { keys?: readonly unknown[]; arguments?: readonly unknown[] }
    keyCount = keys?.length ?? 0
    argv = rest ?? []
  } else {
    keyCount = Number(second)
    argv = args.slice(2 + keyCount)
  }
  if (keyCount !== BREAKER_KEYS || argv.length <= FIXED_BREAKER_ARGS) return 0
  return (argv.length - FIXED_BREAKER_ARGS) / 2
}

/** Wraps `client` (every method still runs on the real client). */
export function gatedClient(client: RedisClientLike): GatedClient {
  let holding = false
  let heldSoFar = 0
  const held: { failures: number; release: () => void }[] = []
  const gated = new Proxy(client, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target)
      if (typeof value !== 'function' || !SCRIPT_METHODS.has(String(property))) return value
      return (...args: unknown[]): Promise<unknown> => {
        const answer = (value as (...a: unknown[]) => Promise<unknown>).apply(target, args)
        const failures = failuresCarried(args)
        if (!holding || failures === 0) return answer
        // Its failure, if any, reaches the caller on release; until then it is not unhandled.
        answer.catch(() => {})
        heldSoFar++
        return new Promise<void>((resolve) => held.push({ failures, release: resolve })).then(() => answer)
      }
    },
  })
  return {
    client: gated,
    hold: () => {
      holding = true
    },
    heldSoFar: () => heldSoFar,
    held: () => held.map((h) => h.failures),
    releaseOne: () => held.shift()?.release(),
    releaseAll: () => {
      holding = false
      for (const h of held.splice(0)) h.release()
    },
  }
}
