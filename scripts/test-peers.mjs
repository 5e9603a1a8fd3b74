// Runs the tests of every package that has peer dependencies against other versions of those
// peers, installed with npm into a scratch directory outside the repository and substituted
// through vitest.config.ts's aliases (REDRESS_PEER_PATHS, a JSON object of name to directory):
//
//   node scripts/test-peers.mjs [lowest|newest] [--report FILE] [--keep]
//
// `lowest` (the default) installs the lower bound of each peer range (`>=1.19.0 <2` → 1.19.0),
// so a range never promises a version CI does not test; `newest` installs what npm picks for
// the range today (for this Node: undici 8 needs Node 22, so on Node 20 it is the newest 7).
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
if (set !== 'lowest' && set !== 'newest') {
  console.error(`test-peers: unknown set ${set} (lowest or newest)`)
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

  const vitestArgs = [join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...testDirs.map((p) => p.shortDir)]
  // The type tests (*.test-d.ts) compile against the workspace's types, not the aliases: the
  // release check type-checks a consumer against these same versions instead.
  vitestArgs.push('--typecheck.enabled=false')
  if (report !== undefined) vitestArgs.push('--reporter=default', '--reporter=json', `--outputFile=${report}`)
  else vitestArgs.push('--reporter=default')
  console.log(`vitest run ${testDirs.map((p) => relative(root, p.dir)).join(' ')}`)
  const tests = spawnSync(process.execPath, vitestArgs, { cwd: root, env, stdio: 'inherit', timeout: 900_000 })
  status = tests.status ?? 1
} catch (error) {
  console.error(`test-peers: ${error instanceof Error ? error.message : String(error)}`)
} finally {
  if (keep) console.log(`scratch directory kept: ${scratch}`)
  else rmSync(scratch, { recursive: true, force: true })
}
process.exit(status)
