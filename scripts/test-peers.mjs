// Runs the tests of every package that has peer dependencies against other versions of those
// peers, installed with npm into a scratch directory outside the repository and substituted
// through vitest.config.ts's aliases (REDRESS_PEER_PATHS, a JSON object of name to directory):
//
//   node scripts/test-peers.mjs [lowest|newest] [--drifted] [--report FILE] [--keep]
//
// `lowest` (the default) installs the lower bound of each peer range (`>=1.19.0 <2` → 1.19.0),
// so a range never promises a version CI does not test; `newest` installs what npm picks for
// the range today (for this Node: undici 8 needs Node 22, so on Node 20 it is the newest 7).
// --drifted (with `newest`) tests only the packages one of whose peers npm now picks at another
// version than the lockfile's — the rest `pnpm test` has just run against those very versions —
// and, when none has drifted, says so and runs nothing (no report is written).
// --report writes vitest's JSON report there (CI sums the counts from it).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { peerRanges, publicPackages, root } from './publicPackages.mjs'

const args = process.argv.slice(2)
const positional = args.filter((arg, i) => !arg.startsWith('--') && args[i - 1] !== '--report')
const set = positional[0] ?? 'lowest'
const reportIndex = args.indexOf('--report')
const report = reportIndex === -1 ? undefined : args[reportIndex + 1]
const keep = args.includes('--keep')
const driftedOnly = args.includes('--drifted')
if (set !== 'lowest' && set !== 'newest') {
  console.error(`test-peers: unknown set ${set} (lowest or newest)`)
  process.exit(2)
}
if (driftedOnly && set !== 'newest') {
  console.error("test-peers: --drifted goes with newest (the lowest peers are never the lockfile's)")
  process.exit(2)
}

const packages = publicPackages()
const peers = peerRanges(packages)
const testDirs = packages.filter(({ manifest }) =>
  Object.keys(manifest.peerDependencies ?? {}).some((p) => peers.has(p)),
)

const scratch = mkdtempSync(join(tmpdir(), `redress-peers-${set}-`))
let status = 1
try {
  writeFileSync(join(scratch, 'package.json'), '{ "name": "redress-peers", "private": true }\n')
  const specs = [...peers].map(([peer, { range, lowest }]) => `${peer}@${set === 'lowest' ? lowest : range}`)
  console.log(`npm install ${specs.join(' ')} (in ${scratch})`)
  const install = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...specs], {
    cwd: scratch,
    stdio: 'inherit',
    timeout: 300_000,
  })
  if (install.status !== 0) throw new Error('npm install failed')

  const peerPaths = {}
  for (const [peer, { lowest }] of peers) {
    const dir = join(scratch, 'node_modules', peer)
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    if (set === 'lowest' && version !== lowest) throw new Error(`npm installed ${peer} ${version}, not ${lowest}`)
    peerPaths[peer] = dir
    console.log(`${peer} ${version} at ${dir}`)
  }
  // REDRESS_UNDICI_PATH (undici 8 for .ci/run's Node 22 step) would override the alias.
  const env = { ...process.env, REDRESS_PEER_PATHS: JSON.stringify(peerPaths), REDRESS_UNDICI_PATH: '' }

  const toTest = driftedOnly ? testDirs.filter((pkg) => drifted(pkg, peerPaths)) : testDirs
  status = toTest.length === 0 ? nothingDrifted() : runTests(toTest, env)
} catch (error) {
  console.error(`test-peers: ${error instanceof Error ? error.message : String(error)}`)
} finally {
  if (keep) console.log(`scratch directory kept: ${scratch}`)
  else rmSync(scratch, { recursive: true, force: true })
}
process.exit(status)

/** Runs the tests of `toTest` with `env`'s aliases; returns vitest's exit status. */
function runTests(toTest, env) {
  const vitestArgs = [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...toTest.map((p) => p.shortDir)]
  // The type tests (*.test-d.ts) compile against the workspace's types, not the aliases: the
  // release check type-checks a consumer against these same versions instead.
  vitestArgs.push('--typecheck.enabled=false')
  if (report !== undefined) vitestArgs.push('--reporter=default', '--reporter=json', `--outputFile=${report}`)
  else vitestArgs.push('--reporter=default')
  console.log(`vitest run ${toTest.map((p) => relative(root, p.dir)).join(' ')}`)
  const tests = spawnSync(process.execPath, vitestArgs, { cwd: root, env, stdio: 'inherit', timeout: 900_000 })
  return tests.status ?? 1
}

/** With --drifted and no peer drifted: says so; there is nothing to run. */
function nothingDrifted() {
  console.log("test-peers: npm picks the lockfile's version of every peer, which pnpm test ran; nothing to run")
  return 0
}

/**
 * Whether npm's pick of one of `pkg`'s peers (in `peerPaths`) is another version than the one
 * the workspace installed for it from the lockfile (its own node_modules), which `pnpm test` ran.
 */
function drifted(pkg, peerPaths) {
  const version = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version
  return Object.keys(pkg.manifest.peerDependencies ?? {}).some((peer) => {
    if (peerPaths[peer] === undefined) return false
    const picked = version(peerPaths[peer])
    const locked = version(join(pkg.dir, 'node_modules', peer))
    if (picked === locked) return false
    console.log(`${pkg.shortDir}: npm picks ${peer} ${picked}, the lockfile has ${locked}`)
    return true
  })
}
