// The workspace's published packages, packed the way a release packs them, the peer
// versions CI tests them against, and how the scripts run a tool. Shared by
// check-packages.mjs, release-check.mjs, size.mjs and test-peers.mjs.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const root = resolve(fileURLToPath(import.meta.url), '../..')

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'))

/**
 * Runs a tool to completion (no colours, no npm update notice) and returns
 * `{ ok, output }`, stdout and stderr together. Never throws; a tool still running after
 * `timeoutMs` is killed and fails.
 */
export function run(command, args, cwd, timeoutMs = 300_000) {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout: timeoutMs,
    env: { ...process.env, NO_COLOR: '1', npm_config_update_notifier: 'false' },
  })
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`.trim()
  return { ok: result.status === 0, output }
}

/**
 * Every package under packages/* that is published (not `"private": true`), sorted by
 * directory: `{ dir, shortDir, manifest }`, `shortDir` being e.g. `packages/core`.
 */
export function publicPackages() {
  const packagesDir = join(root, 'packages')
  return readdirSync(packagesDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')))
    .map((entry) => ({
      dir: join(packagesDir, entry.name),
      shortDir: `packages/${entry.name}`,
      manifest: readJson(join(packagesDir, entry.name, 'package.json')),
    }))
    .filter((pkg) => pkg.manifest.private !== true)
    .sort((a, b) => (a.dir < b.dir ? -1 : 1))
}

/** Names of the workspace's private packages (the root, test-support, bench, examples …). */
export function privatePackageNames() {
  const dirs = [root, join(root, 'bench'), join(root, 'examples')]
  const packagesDir = join(root, 'packages')
  for (const entry of readdirSync(packagesDir, { withFileTypes: true })) {
    if (entry.isDirectory()) dirs.push(join(packagesDir, entry.name))
  }
  return new Set(
    dirs
      .filter((dir) => existsSync(join(dir, 'package.json')))
      .map((dir) => readJson(join(dir, 'package.json')))
      .filter((manifest) => manifest.private === true)
      .map((manifest) => manifest.name),
  )
}

/**
 * Packs one package with `pnpm pack` (as `pnpm publish`, which `changeset publish` runs, packs
 * it) into a directory of its own under `destination`; returns the tarball's path.
 */
export function packPackage(pkg, destination) {
  return packWith('pnpm', ['pack', '--pack-destination'], pkg, destination)
}

/** Packs one package with `npm pack` instead, the same way; returns the tarball's path. */
export function npmPackPackage(pkg, destination) {
  return packWith('npm', ['pack', '--silent', '--loglevel=error', '--pack-destination'], pkg, destination)
}

function packWith(tool, args, pkg, destination) {
  const out = join(destination, pkg.shortDir.replace('/', '-'))
  mkdirSync(out, { recursive: true })
  const result = spawnSync(tool, [...args, out], {
    cwd: pkg.dir,
    encoding: 'utf8',
    env: { ...process.env, npm_config_update_notifier: 'false' },
  })
  if (result.status !== 0) {
    throw new Error(`${tool} pack failed in ${pkg.shortDir}:\n${result.stdout}${result.stderr}${result.error ?? ''}`)
  }
  const tarballs = readdirSync(out).filter((file) => file.endsWith('.tgz'))
  if (tarballs.length !== 1)
    throw new Error(`${tool} pack in ${pkg.shortDir} left ${tarballs.length} tarballs in ${out}`)
  return join(out, tarballs[0])
}

/**
 * Every peer dependency of the published packages with its range and the lowest version
 * the range admits: `Map<name, { range, lowest, packages }>`. Throws when two packages give
 * the same peer different ranges, or when a range has no exact lower bound (`>=x.y.z`,
 * `^x.y.z`, `~x.y.z`) or no upper bound — a range must promise only what CI tests.
 */
export function peerRanges(packages = publicPackages()) {
  const peers = new Map()
  // A peer that is itself one of the packages (`@redress/core`) comes from its tarball.
  const own = new Set(packages.map(({ manifest }) => manifest.name))
  for (const { manifest } of packages) {
    for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
      if (own.has(name)) continue
      const known = peers.get(name)
      if (known !== undefined && known.range !== range) {
        throw new Error(`peer ${name}: ${known.packages[0]} says "${known.range}", ${manifest.name} says "${range}"`)
      }
      if (range.includes('||'))
        throw new Error(`peer ${name} of ${manifest.name}: "${range}" has several ranges; use one`)
      const lowest = /^\s*(?:>=|\^|~)\s*(\d+\.\d+\.\d+)(?:\s|$)/.exec(range)?.[1]
      if (lowest === undefined) throw new Error(`peer ${name} of ${manifest.name}: "${range}" has no x.y.z lower bound`)
      if (!/^\s*[\^~]/.test(range) && !/<\s*\d/.test(range)) {
        throw new Error(`peer ${name} of ${manifest.name}: "${range}" has no upper bound`)
      }
      peers.set(name, { range, lowest, packages: [...(known?.packages ?? []), manifest.name] })
    }
  }
  return peers
}
