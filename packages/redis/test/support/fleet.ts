import { type ChildProcess, fork } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ClientKind } from './clients.ts'
import { WAIT_MS } from './waitFor.ts'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../../../..')

/** A child's start: Node, tsx compiling the agent and the package, the client's connection. */
const START_MS = 120_000

/** One child process of a test fleet (see `fleetAgent.ts`). */
export class Agent {
  readonly index: number
  readonly kind: ClientKind
  readonly #child: ChildProcess
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  #next = 0
  #exited: string | undefined
  readonly #ready: Promise<void>
  readonly #gone: Promise<void>
  #onReady: () => void = () => {}

  constructor(
    index: number,
    kind: ClientKind,
    onEvent: (agent: Agent, event: Record<string, unknown>) => void,
    execArgv: string[] = [],
  ) {
    this.index = index
    this.kind = kind
    this.#child = fork(join(here, 'fleetAgent.ts'), [], {
      cwd: root,
      execArgv: ['--conditions=@redress/source', '--import', 'tsx', ...execArgv],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    })
    this.#ready = new Promise((resolve) => {
      this.#onReady = resolve
    })
    this.#gone = new Promise((resolve) => this.#child.once('exit', () => resolve()))
    this.#child.on('message', (raw: Record<string, unknown>) => {
      if (raw['ready'] === true) this.#onReady()
      if (typeof raw['id'] !== 'number') {
        if (raw['event'] !== undefined) onEvent(this, raw)
        return
      }
      const waiter = this.#pending.get(raw['id'])
      this.#pending.delete(raw['id'])
      if (raw['ok'] === true) waiter?.resolve(raw['result'])
      else waiter?.reject(new Error(`agent ${this.index} (${this.kind}): ${String(raw['error'])}`))
    })
    this.#child.on('exit', (code, signal) => {
      this.#exited = `agent ${index} exited (${code ?? signal})`
      for (const w of this.#pending.values()) w.reject(new Error(this.#exited))
      this.#pending.clear()
      this.#onReady()
    })
  }

  /**
   * Sends one command and resolves with the agent's answer; rejects, naming the command, when
   * none comes within `withinMs` (the agent keeps running: a late answer is dropped).
   */
  async ask<T = unknown>(op: string, args: Record<string, unknown> = {}, withinMs = WAIT_MS): Promise<T> {
    // Commands sent before the agent listens would be lost: wait for its hello.
    await this.#ready
    if (this.#exited !== undefined) throw new Error(this.#exited)
    const id = this.#next++
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id)
        reject(new Error(`agent ${this.index} (${this.kind}): no answer to ${op} within ${withinMs} ms`))
      }, withinMs)
      this.#pending.set(id, {
        resolve: (value) => {
          clearTimeout(timer)
          resolve(value as T)
        },
        reject: (error) => {
          clearTimeout(timer)
          reject(error)
        },
      })
      this.#child.send({ id, op, ...args })
    })
  }

  /** Kills the process with SIGKILL — it gets no chance to clean up, as in a crash — and waits until it is gone. */
  async kill(): Promise<void> {
    this.#child.kill('SIGKILL')
    await this.#gone
  }

  /** Ends the process: `close` if it answers in time, then SIGTERM, then SIGKILL if it is still there 5 s later. */
  async stop(): Promise<void> {
    if (this.#exited !== undefined) return
    await this.ask('close', {}, 10_000).catch(() => undefined)
    this.#child.kill('SIGTERM')
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), 5_000)
    await this.#gone
    clearTimeout(timer)
  }
}

/** The timeout of a hook that calls `startFleet`, in ms: above its own bound. */
export const FLEET_SETUP_MS: number = START_MS + 30_000

/**
 * Starts `kinds.length` agents, each connected to Redis on `port` with its own client of the
 * given kind (so a fleet can mix ioredis and node-redis processes). Each gets `START_MS` to
 * start and connect; one that does not is named in the error, and all are stopped.
 */
export async function startFleet(
  kinds: readonly ClientKind[],
  port: number,
  onEvent: (agent: Agent, event: Record<string, unknown>) => void = () => {},
  execArgv: string[] = [],
  firstIndex = 0,
): Promise<Agent[]> {
  const agents = kinds.map((kind, i) => new Agent(firstIndex + i, kind, onEvent, execArgv))
  const started = await Promise.allSettled(agents.map((a) => a.ask('connect', { kind: a.kind, port }, START_MS)))
  const failed = started.flatMap((s) => (s.status === 'rejected' ? [String(s.reason)] : []))
  if (failed.length > 0) {
    await Promise.all(agents.map((a) => a.stop()))
    throw new Error(`the test fleet did not start: ${failed.join('; ')}`)
  }
  return agents
}
