import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { accessSync, constants, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'

/**
 * A real `redis-server` for the tests: found on this machine, or installed from Debian's
 * packages when the tests run as root (`apt-get update && apt-get install -y redis-server`,
 * once, under a lock shared by parallel test files), started on a free loopback port and
 * stopped afterwards. When it can be neither found nor installed, the tests fail with a message
 * that says what to do — they never skip.
 */

const CANDIDATES = ['/usr/bin/redis-server', '/usr/sbin/redis-server', '/usr/local/bin/redis-server']
const INSTALL_LOCK = join(tmpdir(), 'redress-redis-server-install.lock')

// Every wait here is bounded, and the bounds nest: one apt-get run is cut off after
// APT_RUN_MS, so an install holds the lock for at most 2 × APT_RUN_MS; a lock older than that
// was left by a dead run and is taken over; a test file waits for the lock at most
// LOCK_WAIT_MS. All of it stays under REDIS_SETUP_MS, the timeout of the hook that calls
// `startRedisServer` — so a machine that cannot get a redis-server fails with one of the
// messages below, never with a bare hook timeout.
const APT_RUN_MS = 4 * 60_000
const STALE_LOCK_MS = 2 * APT_RUN_MS + 30_000
const LOCK_WAIT_MS = STALE_LOCK_MS + 30_000
/** How long a freshly started redis-server may take to answer PING (it takes milliseconds). */
const START_MS = 30_000

/** The timeout of a hook that calls `startRedisServer`, in ms: above every bound it waits on. */
export const REDIS_SETUP_MS: number = LOCK_WAIT_MS + 2 * APT_RUN_MS + START_MS + 60_000

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return statSync(path).isFile()
  } catch {
    return false
  }
}

/** The path of a `redis-server` binary on this machine (`REDIS_SERVER` first, then PATH), or undefined. */
export function findRedisServer(): string | undefined {
  const given = process.env['REDIS_SERVER']
  if (given !== undefined && given !== '') return isExecutable(given) ? given : undefined
  const onPath = (process.env['PATH'] ?? '').split(delimiter).map((dir) => join(dir, 'redis-server'))
  return [...onPath, ...CANDIDATES].find(isExecutable)
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms)
}

/** Takes the install lock (a directory: mkdir is atomic), taking over one older than any install can be. */
function withInstallLock<T>(work: () => T): T {
  const deadline = Date.now() + LOCK_WAIT_MS
  for (;;) {
    try {
      mkdirSync(INSTALL_LOCK)
      break
    } catch {
      try {
        if (Date.now() - statSync(INSTALL_LOCK).mtimeMs > STALE_LOCK_MS) rmSync(INSTALL_LOCK, { recursive: true })
      } catch {
        // the holder just released it
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${INSTALL_LOCK} (another redis-server install)`)
      sleepSync(250)
    }
  }
  try {
    return work()
  } finally {
    rmSync(INSTALL_LOCK, { recursive: true, force: true })
  }
}

/**
 * The `redis-server` binary, installed first if this machine has none and the tests run as
 * root with apt-get. Idempotent: a second call (or a parallel test file) finds it installed.
 *
 * @throws Error saying how to get one, when there is none and it cannot be installed.
 */
export function ensureRedisServer(): string {
  // A REDIS_SERVER that names no binary is a mistake to report, not a reason to install one.
  const given = process.env['REDIS_SERVER']
  if (given !== undefined && given !== '' && !isExecutable(given)) {
    throw new Error(
      `@redress/redis tests: REDIS_SERVER is ${JSON.stringify(given)}, which is not an executable file; ` +
        'point it at a redis-server binary, or unset it to use the one on PATH (installed with apt-get when run as root).',
    )
  }
  const found = findRedisServer()
  if (found !== undefined) return found
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0
  const hasApt = isExecutable('/usr/bin/apt-get')
  if (!isRoot || !hasApt) {
    throw new Error(
      '@redress/redis tests need a real redis-server and none was found (looked at $REDIS_SERVER, PATH and ' +
        `${CANDIDATES.join(', ')}). ${isRoot ? 'apt-get is not available to install it' : 'They install it themselves only when run as root'}: ` +
        'install the Debian package (`sudo apt-get install -y redis-server`) or set REDIS_SERVER to a redis-server binary.',
    )
  }
  return withInstallLock(() => {
    const again = findRedisServer()
    if (again !== undefined) return again
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }
    const run = (args: string[]): void => {
      try {
        execFileSync('apt-get', args, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: APT_RUN_MS })
      } catch (error) {
        const e = error as { stderr?: Buffer; message?: string }
        throw new Error(
          `@redress/redis tests: \`apt-get ${args.join(' ')}\` failed while installing redis-server: ${e.stderr?.toString().trim() || e.message}`,
        )
      }
    }
    run(['update'])
    run(['install', '-y', '--no-install-recommends', 'redis-server'])
    const installed = findRedisServer()
    if (installed === undefined)
      throw new Error('@redress/redis tests: apt-get installed redis-server, but no binary was found')
    return installed
  })
}

/** A free TCP port on 127.0.0.1 (free when asked; `startRedisServer` retries if someone takes it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.on('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      server.close(() => resolve(port))
    })
  })
}

/** Answers true once the server replies +PONG to PING on `port`. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port })
    let data = ''
    const done = (ok: boolean): void => {
      socket.destroy()
      resolve(ok)
    }
    socket.setTimeout(500, () => done(false))
    socket.on('error', () => done(false))
    socket.on('connect', () => socket.write('PING\r\n'))
    socket.on('data', (chunk) => {
      data += chunk.toString()
      if (data.includes('\r\n')) done(data.startsWith('+PONG'))
    })
  })
}

/** One running redis-server. */
export interface RedisServer {
  /** The loopback port it listens on (kept across `kill` + `start`). */
  readonly port: number
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string
  /** Starts it again on the same port (after `kill`). */
  start(): Promise<void>
  /** Kills it with SIGKILL — no goodbye to clients — and waits until it is gone. */
  kill(): Promise<void>
  /**
   * Freezes it with SIGSTOP: connections stay open and commands are accepted by the kernel,
   * but nothing is answered — a Redis that is slow, not down. `resume()` (SIGCONT) answers them.
   */
  pause(): void
  /** Lets a paused server run again (SIGCONT); what it was sent meanwhile is answered now. */
  resume(): void
  /** Stops it (SIGTERM, then SIGKILL after 5 s) and removes its working directory. */
  stop(): Promise<void>
}

const running = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL')
})

function waitExit(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

async function launch(binary: string, port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  running.add(child)
  child.once('exit', () => running.delete(child))
  let output = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000)
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000)
  })
  const deadline = Date.now() + START_MS
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break
    if (await ping(port)) return child
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  child.kill('SIGKILL')
  await waitExit(child)
  throw new Error(`redis-server (${binary}) did not start on 127.0.0.1:${port}:\n${output.trim()}`)
}

/**
 * Starts a redis-server (installing it first if needed, see `ensureRedisServer`) on a free
 * loopback port, with no persistence. Stop it with `stop()`.
 */
export async function startRedisServer(): Promise<RedisServer> {
  const binary = ensureRedisServer()
  const dir = mkdtempSync(join(tmpdir(), 'redress-redis-'))
  let lastError: unknown
  for (let i = 0; i < 5; i++) {
    const port = await freePort()
    let child: ChildProcess
    try {
      child = await launch(binary, port, dir)
    } catch (error) {
      lastError = error
      continue
    }
    let current: ChildProcess | undefined = child
    return {
      port,
      url: `redis://127.0.0.1:${port}`,
      async start() {
        if (current !== undefined) return
        current = await launch(binary, port, dir)
      },
      async kill() {
        const c = current
        current = undefined
        if (c === undefined) return
        c.kill('SIGKILL')
        await waitExit(c)
      },
      pause() {
        if (current === undefined) throw new Error('redis-server is not running')
        current.kill('SIGSTOP')
      },
      resume() {
        current?.kill('SIGCONT')
      },
      async stop() {
        const c = current
        current = undefined
        if (c !== undefined) {
          c.kill('SIGCONT') // a paused server would not act on SIGTERM
          c.kill('SIGTERM')
          const timer = setTimeout(() => c.kill('SIGKILL'), 5_000)
          await waitExit(c)
          clearTimeout(timer)
        }
        rmSync(dir, { recursive: true, force: true })
      },
    }
  }
  rmSync(dir, { recursive: true, force: true })
  throw lastError
}
