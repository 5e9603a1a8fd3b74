import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'undici'

/** How long Chromium may take to print its DevTools address before the launch fails, in ms. */
const LAUNCH_TIMEOUT_MS = 30_000

/** A DevTools protocol message: a reply (`id`) or an event (`method`). */
interface CdpMessage {
  readonly id?: number
  readonly method?: string
  readonly sessionId?: string
  readonly params?: Record<string, unknown>
  readonly result?: Record<string, unknown>
  readonly error?: { readonly message: string }
}

/**
 * A headless Chromium driven over the DevTools protocol through one WebSocket (undici's), with
 * flat sessions: `open(url)` makes a tab and waits for its load event, `evaluate` runs an
 * expression in it and awaits its promise. Nothing is mocked: this is the browser's own fetch,
 * network stack and CORS.
 */
export class Chromium {
  readonly #process: ChildProcess
  readonly #ws: WebSocket
  readonly #profile: string
  readonly #pending = new Map<
    number,
    { resolve: (result: Record<string, unknown>) => void; reject: (error: Error) => void }
  >()
  readonly #waiters = new Set<(message: CdpMessage) => boolean>()
  #nextId = 1

  private constructor(process: ChildProcess, ws: WebSocket, profile: string) {
    this.#process = process
    this.#ws = ws
    this.#profile = profile
    ws.addEventListener('message', (event) => this.#receive(JSON.parse(String(event.data)) as CdpMessage))
  }

  /** Starts `executable` headless on a fresh profile, with the DevTools protocol on a free port. */
  static async launch(executable: string): Promise<Chromium> {
    const profile = mkdtempSync(join(tmpdir(), 'redress-chromium-'))
    const child = spawn(
      executable,
      [
        '--headless',
        '--remote-debugging-port=0',
        `--user-data-dir=${profile}`,
        // Chromium refuses its sandbox as root, and CI containers often run as root.
        '--no-sandbox',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-extensions',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        'about:blank',
      ],
      // Its own process group, so that closing it also ends its renderer and utility processes.
      { stdio: ['ignore', 'ignore', 'pipe'], detached: true },
    )
    let ws: WebSocket
    try {
      ws = await new Promise<WebSocket>((resolve, reject) => {
        let stderr = ''
        const fail = (why: string): void => {
          clearTimeout(timer)
          reject(new Error(`Chromium (${executable}) did not start: ${why}\n${stderr.slice(-2_000)}`))
        }
        const timer = setTimeout(() => fail(`no DevTools address after ${LAUNCH_TIMEOUT_MS} ms`), LAUNCH_TIMEOUT_MS)
        child.once('error', (error) => fail(error.message))
        child.once('exit', (code, signal) => fail(`it exited (code ${code}, signal ${signal})`))
        child.stderr?.setEncoding('utf8')
        child.stderr?.on('data', (chunk: string) => {
          stderr += chunk
          const address = /DevTools listening on (ws:\/\/\S+)/.exec(stderr)?.[1]
          if (address === undefined) return
          clearTimeout(timer)
          child.removeAllListeners('exit')
          const socket = new WebSocket(address)
          socket.addEventListener('open', () => resolve(socket), { once: true })
          socket.addEventListener('error', () => fail(`no DevTools connection to ${address}`), { once: true })
        })
      })
    } catch (error) {
      killGroup(child)
      rmSync(profile, { recursive: true, force: true })
      throw error
    }
    // Chromium keeps writing to stderr (GPU and D-Bus notices in a container): keep draining it.
    child.stderr?.resume()
    return new Chromium(child, ws, profile)
  }

  /** Opens a tab on `url` and waits for its load event; returns the tab's session id. */
  async open(url: string): Promise<string> {
    const { targetId } = await this.send('Target.createTarget', { url: 'about:blank' })
    const { sessionId } = await this.send('Target.attachToTarget', { targetId, flatten: true })
    if (typeof sessionId !== 'string') throw new Error('Chromium: no session for the new tab')
    await this.send('Page.enable', {}, sessionId)
    const loaded = this.#next((m) => m.method === 'Page.loadEventFired' && m.sessionId === sessionId)
    const navigation = await this.send('Page.navigate', { url }, sessionId)
    if (typeof navigation.errorText === 'string') throw new Error(`Chromium: ${url}: ${navigation.errorText}`)
    await loaded
    return sessionId
  }

  /**
   * Evaluates `expression` in the tab, awaits it if it is a promise and returns its value (as
   * JSON). A thrown error or rejected promise rejects with its description.
   */
  async evaluate<T>(sessionId: string, expression: string): Promise<T> {
    const reply = await this.send(
      'Runtime.evaluate',
      { expression, awaitPromise: true, returnByValue: true },
      sessionId,
    )
    const exception = reply.exceptionDetails as { exception?: { description?: string }; text?: string } | undefined
    if (exception !== undefined) {
      throw new Error(`in Chromium: ${exception.exception?.description ?? exception.text ?? 'an exception'}`)
    }
    return (reply.result as { value?: unknown } | undefined)?.value as T
  }

  /** Sends one DevTools command and resolves with its result. */
  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.#nextId++
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      this.#ws.send(
        JSON.stringify(sessionId === undefined ? { id, method, params } : { id, method, params, sessionId }),
      )
    })
  }

  /** Closes the browser (and its process group) and removes its profile. */
  async close(): Promise<void> {
    const exited = new Promise<void>((resolve) => {
      if (this.#process.exitCode !== null || this.#process.signalCode !== null) resolve()
      else this.#process.once('exit', () => resolve())
    })
    this.#ws.close()
    killGroup(this.#process)
    await exited
    rmSync(this.#profile, { recursive: true, force: true })
  }

  #next(matches: (message: CdpMessage) => boolean): Promise<CdpMessage> {
    return new Promise((resolve) => {
      const waiter = (message: CdpMessage): boolean => {
        if (!matches(message)) return false
        resolve(message)
        return true
      }
      this.#waiters.add(waiter)
    })
  }

  #receive(message: CdpMessage): void {
    if (message.id !== undefined) {
      const pending = this.#pending.get(message.id)
      this.#pending.delete(message.id)
      if (message.error !== undefined) pending?.reject(new Error(`Chromium: ${message.error.message}`))
      else pending?.resolve(message.result ?? {})
      return
    }
    for (const waiter of this.#waiters) if (waiter(message)) this.#waiters.delete(waiter)
  }
}

/** Ends a process started with `detached: true` and everything in its process group. */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return
  try {
    process.kill(-child.pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}
