import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository's root. */
const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))

/** The packages the browser bundle takes from `dist/`: @redress/fetch and what it imports. */
export const DIST_PACKAGES: readonly string[] = ['core', 'fetch']

/** How long one package's build (tsup: ESM, CJS and declarations) may take, in ms. */
const BUILD_TIMEOUT_MS = 180_000

/**
 * Makes sure each of {@link DIST_PACKAGES} has a `dist/` built from its current sources: `.ci/run`
 * builds before `pnpm test`, so there it does nothing; on a fresh clone (`pnpm install && pnpm
 * test`, no build) or after an edit, it runs the package's own build (`tsup`, as `pnpm build`
 * does) and says so. A `dist/` counts as stale when a file its `exports` name for `import` is
 * missing (a build cut short: tsup empties `dist/` first) or older than anything under `src/`,
 * the package's `package.json` and `tsup.config.ts`, or the shared `tsup.base.ts`.
 *
 * @throws {Error} naming the package and the command to run, when a build fails.
 */
export function ensureDist(): void {
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
      const e = error as { stdout?: Buffer; stderr?: Buffer; message?: string }
      const output = `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`.trim()
      throw new Error(
        `the browser test bundles @redress/${name} from dist/, and building it failed ` +
          `(run \`pnpm build\` to see why): ${output || e.message}`,
      )
    }
  }
}

/** Why `dir`'s `dist/` must be built, or `undefined` when it is current. */
function staleness(dir: string): string | undefined {
  let builtAt = Infinity
  for (const file of importedFiles(dir)) {
    if (!existsSync(file)) return `no ${relative(dir, file)} (not built yet)`
    builtAt = Math.min(builtAt, statSync(file).mtimeMs)
  }
  const inputs = [
    newestUnder(join(dir, 'src')),
    ...[join(dir, 'package.json'), join(dir, 'tsup.config.ts'), join(ROOT, 'tsup.base.ts')].map((path) => ({
      path,
      mtimeMs: statSync(path).mtimeMs,
    })),
  ]
  const newer = inputs.reduce((a, b) => (b.mtimeMs > a.mtimeMs ? b : a))
  return newer.mtimeMs > builtAt ? `dist/ is older than ${newer.path}` : undefined
}

/** The files `dir`'s package.json `exports` name for `import` (what a bundler resolves). */
function importedFiles(dir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    exports: Record<string, { import?: { default?: string } }>
  }
  return Object.values(manifest.exports).flatMap((entry) =>
    entry.import?.default === undefined ? [] : [join(dir, entry.import.default)],
  )
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
