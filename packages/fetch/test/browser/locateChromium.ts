import { execFileSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join } from 'node:path'

/** The executables a Chromium may be installed as (Debian's package installs `chromium`). */
const NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome']

/** How long `apt-get` may wait for a dpkg lock another process holds, in seconds. */
const DPKG_LOCK_TIMEOUT_S = 300

/**
 * The path of a Chromium to run the browser tests in: `$CHROMIUM_PATH` when set, else the first
 * of {@link NAMES} on the `PATH`. When there is none and this process is root on a system with
 * `apt-get`, installs the Debian package `chromium` (`apt-get update && apt-get install -y
 * chromium`, which does nothing when it is already installed) and looks again.
 *
 * @throws {Error} saying how to get a Chromium, when none can be found or installed: the browser
 * tests are never skipped silently
 */
export function locateChromium(): string {
  const given = process.env.CHROMIUM_PATH
  if (given !== undefined && given !== '') {
    if (isExecutable(given)) return given
    throw new Error(`CHROMIUM_PATH is set to ${given}, which is not an executable file`)
  }
  const found = onPath()
  if (found !== undefined) return found
  const why = install()
  const installed = onPath()
  if (installed !== undefined) return installed
  throw new Error(
    `The browser tests need a Chromium and none was found on the PATH (${NAMES.join(', ')}). ` +
      `${why} Install it as root with \`apt-get update && apt-get install -y chromium\`, ` +
      'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
  )
}

function onPath(): string | undefined {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '')
  for (const name of NAMES) {
    for (const dir of dirs) {
      const candidate = join(dir, name)
      if (isExecutable(candidate)) return candidate
    }
  }
  return undefined
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

/** Installs Debian's `chromium` when it can; returns why it could not (or that it tried). */
function install(): string {
  if (process.platform !== 'linux')
    return `Automatic installation needs Linux with apt-get (this is ${process.platform}).`
  if (process.getuid?.() !== 0) return 'Automatic installation needs root (apt-get), and this process is not root.'
  if (!isExecutable('/usr/bin/apt-get')) return 'Automatic installation needs apt-get, which this system lacks.'
  const apt = (args: string[]): void => {
    execFileSync('apt-get', ['-o', `DPkg::Lock::Timeout=${DPKG_LOCK_TIMEOUT_S}`, ...args], {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    })
  }
  try {
    apt(['update'])
    apt(['install', '-y', '--no-install-recommends', 'chromium'])
    return 'apt-get installed the package `chromium`, but no executable appeared.'
  } catch (error) {
    return `\`apt-get install -y chromium\` failed: ${error instanceof Error ? error.message : String(error)}.`
  }
}
