// Runs the tests of every package that has peer dependencies against other versions of those
// peers, installed with npm into a scratch directory outside the repository and substituted
// through vitest.config.ts's aliases (REDRESS_AXIOS_PATH, REDRESS_UNDICI_PATH …):
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

/** The variable vitest.config.ts reads for each peer; keep the two lists in step. */
const PEER_PATH_VARIABLES = {
  undici: 'REDRESS_UNDICI_PATH',
  axios: 'REDRESS_AXIOS_PATH',
  'prom-client': 'REDRESS_PROM_CLIENT_PATH',
  '@opentelemetry/api': 'REDRESS_OTEL_API_PATH',
}

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
const missing = [...peers.keys()].filter((peer) => PEER_PATH_VARIABLES[peer] === undefined)
if (missing.length > 0) {
  console.error(`test-peers: no alias variable for ${missing.join(', ')}; add one here and in vitest.config.ts`)
  process.exit(2)
}
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

  const env = { ...process.env }
  for (const [peer, { lowest }] of peers) {
    const dir = join(scratch, 'node_modules', peer)
    const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    if (set === 'lowest' && version !== lowest) throw new Error(`npm installed ${peer} ${version}, not ${lowest}`)
    env[PEER_PATH_VARIABLES[peer]] = dir
    console.log(`${peer} ${version}: ${PEER_PATH_VARIABLES[peer]}=${dir}`)
  }

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
