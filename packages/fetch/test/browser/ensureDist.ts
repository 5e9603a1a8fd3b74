import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

/** The packages the browser bundle takes from `dist/`: @redress/fetch and what it imports. */
export const DIST_PACKAGES: readonly string[] = ['core', 'fetch']

/** How long one package's build (tsup: ESM, CJS and declarations) may take, in ms. */
const BUILD_TIMEOUT_MS = 180_000

/**
 * Makes sure each of {@link DIST_PACKAGES} has a `dist/` built from its current `src/`: `.ci/run`
 * builds before `pnpm test`, so there it does nothing; on a fresh clone (`pnpm install && pnpm
 * test`, no build) or after an edit to `src/`, it runs the package's own build (`tsup`, as `pnpm
 * build` does) and says so. A `dist/index.js` older than any file under `src/` counts as stale.
 *
 * @returns the packages it built (empty when every `dist/` was current).
 * @throws {Error} naming the package and the command to run, when a build fails.
 */
export function ensureDist(): string[] {
  const built: string[] = []
  for (const name of DIST_PACKAGES) {
    const dir = join(ROOT, 'packages', name)
    const why = staleness(dir)
    if (why === undefined) continue
    console.info(`@redress/${name}: ${why}; building it (tsup) for the browser test`)
    try {
      execFileSync(join(ROOT, 'node_modules', '.bin', 'tsup'), [], {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: BUILD_TIMEOUT_MS,
      })
    } catch (error) {
      const e = error as { stderr?: Buffer; message?: string }
      throw new Error(
        `the browser test bundles @redress/${name} from dist/, and building it failed ` +
          `(run \`pnpm build\` to see why): ${e.stderr?.toString().trim() || e.message}`,
      )
    }
    built.push(name)
  }
  return built
}

/** Why `dir`'s `dist/` must be built, or `undefined` when it is current. */
function staleness(dir: string): string | undefined {
  const entry = join(dir, 'dist', 'index.js')
  if (!existsSync(entry)) return 'no dist/ (not built yet)'
  const builtAt = statSync(entry).mtimeMs
  const newer = newestUnder(join(dir, 'src'))
  return newer.mtimeMs > builtAt ? `dist/ is older than ${newer.path}` : undefined
}

/** The most recently modified file under `dir`, tests aside (they are not built). */
function newestUnder(dir: string): { path: string; mtimeMs: number } {
  let newest = { path: dir, mtimeMs: 0 }
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || /\.test(-d)?\.ts$/.test(entry.name)) continue
    const path = join(entry.parentPath, entry.name)
    const { mtimeMs } = statSync(path)
    if (mtimeMs > newest.mtimeMs) newest = { path, mtimeMs }
  }
  return newest
}
