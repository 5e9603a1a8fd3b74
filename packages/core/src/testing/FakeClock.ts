import type { Clock } from '../Clock.ts'

interface PendingSleep {
  readonly at: number
  readonly seq: number
  readonly resolve: () => void
}

/**
 * A virtual clock for tests: `now()` only moves when you call `advance` or
 * `runAll`, and every wait the engine makes goes through `sleep`, so a whole retry
 * run takes microseconds.
 *
 * It needs no real timer of its own, and works under `vi.useFakeTimers()` (vitest's default
 * fakes, `setImmediate` included) and Jest's: `advance` and `runAll` let the woken code run
 * through the real `setImmediate` captured when this module loaded. The engine itself, given a
 * `FakeClock`, never touches a timer (attempt timeouts and backoff sleeps go through `sleep`).
 *
 * @example
 * const clock = new FakeClock()
 * const p = policy.call(fn)          // policy built with { clock }
 * await clock.runAll()               // jumps over every backoff
 * await p
 */
export class FakeClock implements Clock {
  #now: number
  #seq = 0
  #pending: PendingSleep[] = []

  /** @param startMs the initial virtual time in ms. @default 0 */
  constructor(startMs = 0) {
    this.#now = startMs
  }

  /** Virtual time in ms. */
  now(): number {
    return this.#now
  }

  /** Number of sleeps not yet resolved or aborted. */
  get pendingCount(): number {
    return this.#pending.length
  }

  /** The virtual times (ms) at which pending sleeps are due, soonest first. */
  get pendingDueTimes(): number[] {
    return this.#pending.map((p) => p.at)
  }

  /** Resolves when virtual time reaches `now() + ms`; rejects with `signal.reason` on abort. */
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason)
        return
      }
      const wait = Number.isNaN(ms) ? 0 : Math.max(0, ms)
      const entry: PendingSleep = {
        at: this.#now + wait,
        seq: this.#seq++,
        resolve: () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
      }
      const onAbort = (): void => {
        this.#remove(entry)
        reject(signal?.reason)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#pending.push(entry)
      this.#pending.sort((a, b) => a.at - b.at || a.seq - b.seq)
    })
  }

  /**
   * Moves virtual time forward by `ms`, resolving due sleeps in order (and letting
   * the code they wake run, which may schedule more sleeps inside the window).
   */
  async advance(ms: number): Promise<void> {
    if (!(ms >= 0)) throw new RangeError(`advance(ms) needs ms >= 0, got ${ms}`)
    const target = this.#now + ms
    await flushMicrotasks()
    for (;;) {
      const next = this.#pending[0]
      if (next === undefined || next.at > target) break
      this.#pending.shift()
      this.#now = Math.max(this.#now, next.at)
      next.resolve()
      await flushMicrotasks()
    }
    this.#now = target
  }

  /**
   * Advances until no sleep is pending (finite sleeps only), at most `maxSteps`
   * wake-ups. Returns the virtual ms that passed.
   */
  async runAll(maxSteps = 10_000): Promise<number> {
    const start = this.#now
    await flushMicrotasks()
    for (let step = 0; step < maxSteps; step++) {
      const next = this.#pending[0]
      if (next === undefined || !Number.isFinite(next.at)) break
      this.#pending.shift()
      this.#now = Math.max(this.#now, next.at)
      next.resolve()
      await flushMicrotasks()
    }
    return this.#now - start
  }

  #remove(entry: PendingSleep): void {
    const i = this.#pending.indexOf(entry)
    if (i !== -1) this.#pending.splice(i, 1)
  }
}

/**
 * One real macrotask turn, through the `setImmediate` (else `setTimeout`) that existed when this
 * module loaded: `vi.useFakeTimers()` / `jest.useFakeTimers()` replace those globals later, and
 * a flush through the faked one would never run, so `FakeClock` works under them.
 */
const realMacrotask: (f: () => void) => void = (() => {
  const g = globalThis as { setImmediate?: (f: () => void) => unknown; setTimeout: typeof setTimeout }
  const immediate = g.setImmediate
  if (typeof immediate === 'function') return (f: () => void): void => void immediate(f)
  const timeout = g.setTimeout
  return (f: () => void): void => void timeout(f, 0)
})()

/** Lets pending promise reactions run (several turns, so chained awaits settle). */
async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve()
  await new Promise<void>((resolve) => realMacrotask(resolve))
}
