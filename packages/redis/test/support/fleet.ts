import { type ChildProcess, fork } from 'node:child_process'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ClientKind } from './clients.ts'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../../../..')

/** One child process of a test fleet (see `fleetAgent.ts`). */
export class Agent {
  readonly index: number
  readonly kind: ClientKind
  readonly #child: ChildProcess
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  #next = 0
  #exited: string | undefined
  readonly #ready: Promise<void>
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

  /** Sends one command and resolves with the agent's answer. */
  async ask<T = unknown>(op: string, args: Record<string, unknown> = {}): Promise<T> {
    // Commands sent before the agent listens would be lost: wait for its hello.
    await this.#ready
    if (this.#exited !== undefined) throw new Error(this.#exited)
    const id = this.#next++
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.#child.send({ id, op, ...args })
    })
  }

  /** Ends the process (after `close` if it can). */
  async stop(): Promise<void> {
    if (this.#exited === undefined) {
      await this.ask('close').catch(() => undefined)
      const gone = new Promise((resolve) => this.#child.once('exit', resolve))
      this.#child.kill('SIGTERM')
      await gone
    }
  }
}

/**
 * Starts `kinds.length` agents, each connected to Redis on `port` with its own client of the
 * given kind (so a fleet can mix ioredis and node-redis processes).
 */
export async function startFleet(
  kinds: readonly ClientKind[],
  port: number,
  onEvent: (agent: Agent, event: Record<string, unknown>) => void = () => {},
  execArgv: string[] = [],
): Promise<Agent[]> {
  const agents = kinds.map((kind, i) => new Agent(i, kind, onEvent, execArgv))
  try {
    await Promise.all(agents.map((a) => a.ask('connect', { kind: a.kind, port })))
  } catch (error) {
    await Promise.all(agents.map((a) => a.stop()))
    throw error
  }
  return agents
}
