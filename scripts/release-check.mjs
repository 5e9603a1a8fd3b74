// `pnpm release:check`: what a user gets from npm, checked before a release (and in CI).
//
// 1. Packs every published package with `pnpm pack` (as `pnpm publish` packs) and checks
//    each packed manifest and file list: no `workspace:` range, no private workspace package
//    in any dependency field, every dependency on another of the packages a plain `^version`
//    of its current version and none a peer, LICENSE and README present, publishConfig.access
//    public, repository/homepage/bugs set, every file the manifest points at shipped, source
//    maps without `sourcesContent` whose sources are shipped, no test file, peer ranges
//    bounded. Packs it again with `npm pack`: the same manifest and the same files.
// 2. Installs the tarballs with plain npm into a scratch project outside the repository,
//    once with the newest peers each range admits and once with the lowest (the range's
//    lower bound), and in each:
//    - runs an ESM and a CJS smoke: imports every subpath of every package, checks both
//      formats export the same names, runs a retry through the core and a 503-then-200
//      request through fetch, axios and undici against a node:http server on 127.0.0.1, and
//      one through fetch with a policy from the other format's build of the core (two copies
//      of core in one process, as a dual-package install can have);
//    - type-checks a TypeScript consumer of every package under `nodenext` (ESM and CJS
//      files), `bundler` and `node10` module resolution, with skipLibCheck off.
//
// Run `pnpm build` first. `--keep` leaves the scratch directory in place and prints it.
// `--only newest|lowest` runs one peer set. Needs the npm registry (peers, @types/node).
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isDeepStrictEqual } from 'node:util'
import {
  npmPackPackage,
  packPackage,
  peerRanges,
  privatePackageNames,
  publicPackages,
  root,
  run,
} from './publicPackages.mjs'

const args = process.argv.slice(2)
const keep = args.includes('--keep')
const onlyIndex = args.indexOf('--only')
const only = onlyIndex === -1 ? undefined : args[onlyIndex + 1]
if (only !== undefined && only !== 'newest' && only !== 'lowest') {
  console.error('release-check: --only takes newest or lowest')
  process.exit(2)
}

const failures = []
const fail = (message) => {
  failures.push(message)
  console.log(`FAIL ${message}`)
}
const ok = (message) => console.log(`ok   ${message}`)

const packages = publicPackages()
const privateNames = privatePackageNames()
const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const rootLicense = readFileSync(join(root, 'LICENSE'), 'utf8')
const peers = peerRanges(packages)

for (const pkg of packages) {
  if (!existsSync(join(pkg.dir, 'dist'))) {
    console.error(`release-check: ${pkg.shortDir}/dist is missing; run \`pnpm build\` first`)
    process.exit(2)
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'redress-release-check-'))
const cleanUp = () => {
  if (keep) console.log(`\nscratch directory kept: ${scratch}`)
  else rmSync(scratch, { recursive: true, force: true })
}

try {
  // ---- 1. pack and inspect -------------------------------------------------------------
  console.log(`==> packing ${packages.length} packages with pnpm pack`)
  const tarballs = []
  for (const pkg of packages) {
    const tarball = packPackage(pkg, join(scratch, 'packs'))
    tarballs.push(tarball)
    inspectTarball(pkg, tarball)
    compareWithNpmPack(pkg, tarball, npmPackPackage(pkg, join(scratch, 'npm-packs')))
  }

  // ---- 2. install with npm, smoke, type-check -----------------------------------------
  const sets = [
    { name: 'newest', spec: (peer, { range }) => `${peer}@${range}` },
    { name: 'lowest', spec: (peer, { lowest }) => `${peer}@${lowest}` },
  ].filter((set) => only === undefined || set.name === only)
  for (const set of sets) {
    const peerSpecs = [...peers].map(([peer, info]) => set.spec(peer, info))
    checkConsumer(set.name, join(scratch, `consumer-${set.name}`), tarballs, peerSpecs)
  }
} catch (error) {
  fail(`release-check stopped: ${error instanceof Error ? error.stack : String(error)}`)
} finally {
  cleanUp()
}

console.log(
  failures.length === 0
    ? `\nrelease-check: ${packages.length} packages packed, installed with npm and checked`
    : `\nrelease-check: ${failures.length} problem(s)`,
)
process.exit(failures.length === 0 ? 0 : 1)

// ---------------------------------------------------------------------------------------

/** Checks one packed tarball: its manifest as packed, and its file list. */
function inspectTarball(pkg, tarball) {
  const label = pkg.manifest.name
  const listing = run('tar', ['-tzf', tarball], root)
  const packedJson = run('tar', ['-xzOf', tarball, 'package/package.json'], root)
  if (!listing.ok || !packedJson.ok) {
    fail(`${label}: cannot read ${tarball}: ${listing.output}${packedJson.output}`)
    return
  }
  const files = new Set(listing.output.split('\n').map((line) => line.replace(/^package\//, '')))
  const manifest = JSON.parse(packedJson.output)
  const problems = []

  if (packedJson.output.includes('workspace:')) problems.push('the packed package.json still has a `workspace:` range')
  for (const field of ['dependencies', 'devDependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (privateNames.has(name)) problems.push(`${field} lists the private workspace package ${name}`)
      const own = packages.find((p) => p.manifest.name === name)
      if (own === undefined) continue
      // `changeset version` keeps these at `^<new version>`; pnpm links them to the workspace
      // package (linkWorkspacePackages) only while the range admits its version.
      if (range !== `^${own.manifest.version}`) {
        problems.push(`${field}: ${name} "${range}" is not "^${own.manifest.version}", its current version`)
      }
      // changesets bumps a package major whenever a peer of it gets a minor bump — with the
      // fixed versioning, every package would go to 1.0.0 on the next minor release.
      if (field === 'peerDependencies') problems.push(`${name} is a peer; make it a dependency`)
    }
  }
  if (!files.has('LICENSE')) problems.push('no LICENSE in the tarball')
  else if (run('tar', ['-xzOf', tarball, 'package/LICENSE'], root).output !== rootLicense.trim()) {
    problems.push("the tarball's LICENSE differs from the repository's")
  }
  if (!files.has('README.md')) problems.push('no README.md in the tarball')
  if (manifest.license !== 'MIT') problems.push(`license is ${JSON.stringify(manifest.license)}, not "MIT"`)
  if (manifest.publishConfig?.access !== 'public') problems.push('publishConfig.access is not "public"')
  if (manifest.repository?.url !== rootManifest.repository?.url) {
    problems.push(`repository.url ${JSON.stringify(manifest.repository?.url)} is not the root's`)
  }
  if (manifest.repository?.directory !== pkg.shortDir) {
    problems.push(`repository.directory ${JSON.stringify(manifest.repository?.directory)} is not "${pkg.shortDir}"`)
  }
  if (typeof manifest.homepage !== 'string') problems.push('no homepage')
  if (typeof manifest.bugs?.url !== 'string') problems.push('no bugs.url')
  if (!Array.isArray(manifest.keywords) || manifest.keywords.length === 0) problems.push('no keywords')
  if (typeof manifest.description !== 'string' || manifest.description === '') problems.push('no description')

  // Every file the manifest points at (every condition, including the workspace's
  // "@redress/source", which points at the shipped src/) must be in the tarball.
  const pointed = [manifest.main, manifest.module, manifest.types]
  const walk = (value) => {
    if (typeof value === 'string') pointed.push(value)
    else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) walk(v)
  }
  walk(manifest.exports)
  for (const target of pointed.filter((t) => typeof t === 'string')) {
    if (!files.has(target.replace(/^\.\//, ''))) problems.push(`points at ${target}, which is not in the tarball`)
  }
  for (const subpath of Object.keys(manifest.exports ?? {}).filter((s) => s !== '.' && s !== './package.json')) {
    // node10 resolution has no exports map: `@redress/core/http` needs http/package.json.
    if (!files.has(`${subpath.slice(2)}/package.json`)) problems.push(`no ${subpath.slice(2)}/package.json for node10`)
  }

  for (const file of files) {
    if (/\.test(-d)?\.ts$/.test(file)) problems.push(`ships a test file: ${file}`)
  }
  const maps = [...files].filter((file) => file.endsWith('.map'))
  for (const map of maps) {
    const parsed = JSON.parse(run('tar', ['-xzOf', tarball, `package/${map}`], root).output)
    if (parsed.sourcesContent !== undefined) problems.push(`${map} carries sourcesContent (sources would ship twice)`)
    const base = map.split('/').slice(0, -1)
    for (const source of parsed.sources ?? []) {
      const parts = [...base]
      for (const part of source.split('/')) {
        if (part === '..') parts.pop()
        else if (part !== '.') parts.push(part)
      }
      if (!files.has(parts.join('/'))) problems.push(`${map} refers to ${source}, which is not shipped`)
    }
  }

  for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
    // A peer on one of the packages themselves is reported above.
    if (packages.some((p) => p.manifest.name === name)) continue
    if (peers.get(name)?.range !== range) problems.push(`peer ${name} "${range}" differs from the workspace manifest`)
  }

  const size = readFileSync(tarball).length
  if (problems.length === 0) {
    ok(`${label}: packed manifest and ${files.size} files clean (${(size / 1024).toFixed(1)} kB packed)`)
  } else {
    for (const problem of [...new Set(problems)]) fail(`${label}: ${problem}`)
  }
}

/**
 * `npm pack` must give what `pnpm pack` gives — the same package.json and the same files — so
 * that a tarball does not depend on which tool packed it (no `workspace:` range left to rewrite).
 */
function compareWithNpmPack(pkg, pnpmTarball, npmTarball) {
  const label = pkg.manifest.name
  const read = (tarball) => ({
    manifest: run('tar', ['-xzOf', tarball, 'package/package.json'], root),
    listing: run('tar', ['-tzf', tarball], root),
  })
  const pnpmPacked = read(pnpmTarball)
  const npmPacked = read(npmTarball)
  if (!npmPacked.manifest.ok || !npmPacked.listing.ok) {
    fail(`${label}: cannot read the npm-packed ${npmTarball}: ${npmPacked.manifest.output}${npmPacked.listing.output}`)
    return
  }
  const problems = []
  if (!isDeepStrictEqual(JSON.parse(pnpmPacked.manifest.output), JSON.parse(npmPacked.manifest.output))) {
    problems.push('npm pack and pnpm pack give different package.json files')
  }
  const files = (listing) => listing.output.split('\n').sort().join('\n')
  if (files(pnpmPacked.listing) !== files(npmPacked.listing))
    problems.push('npm pack and pnpm pack ship different files')
  if (problems.length === 0) ok(`${label}: npm pack gives the same package.json and files`)
  else for (const problem of problems) fail(`${label}: ${problem}`)
}

/** A scratch npm project with the tarballs and one set of peers: smoke (ESM, CJS) and types. */
function checkConsumer(setName, dir, tarballs, peerSpecs) {
  console.log(`\n==> consumer with the ${setName} peers: npm install ${peerSpecs.join(' ')}`)
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: 'redress-consumer', private: true, type: 'module' }, null, 2)}\n`,
  )
  const typesNode = `@types/node@${rootManifest.devDependencies['@types/node']}`
  const install = run(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, ...peerSpecs, typesNode],
    dir,
  )
  if (!install.ok) {
    fail(`${setName}: npm install failed:\n${install.output}`)
    return
  }
  const versions = Object.fromEntries(
    [...peers.keys()].map((peer) => [
      peer,
      JSON.parse(readFileSync(join(dir, 'node_modules', peer, 'package.json'), 'utf8')).version,
    ]),
  )
  ok(
    `${setName}: installed with npm (${Object.entries(versions)
      .map(([p, v]) => `${p} ${v}`)
      .join(', ')})`,
  )
  if (setName === 'lowest') {
    for (const [peer, { lowest }] of peers) {
      if (versions[peer] !== lowest) fail(`${setName}: npm installed ${peer} ${versions[peer]}, not ${lowest}`)
    }
  }

  // Every subpath of every package, read from the packed manifests as installed.
  const specifiers = packages.flatMap(({ manifest }) => {
    const installed = JSON.parse(readFileSync(join(dir, 'node_modules', manifest.name, 'package.json'), 'utf8'))
    return Object.keys(installed.exports)
      .filter((subpath) => subpath !== './package.json')
      .map((subpath) => (subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`))
  })

  writeFileSync(join(dir, 'smoke.mjs'), smokeSource('esm', specifiers))
  writeFileSync(join(dir, 'smoke.cjs'), smokeSource('cjs', specifiers))
  const exported = {}
  for (const kind of ['esm', 'cjs']) {
    const result = run(process.execPath, [`smoke.${kind === 'esm' ? 'mjs' : 'cjs'}`], dir, 60_000)
    const namesLine = result.output.split('\n').find((line) => line.startsWith('NAMES '))
    if (!result.ok || namesLine === undefined) {
      fail(`${setName}: ${kind.toUpperCase()} smoke failed:\n${result.output}`)
      continue
    }
    exported[kind] = JSON.parse(namesLine.slice('NAMES '.length))
    ok(
      `${setName}: ${kind.toUpperCase()} smoke (${specifiers.length} entry points; retry, fetch, axios, undici; fetch with the other build's policy)`,
    )
  }
  if (exported.esm !== undefined && exported.cjs !== undefined) {
    for (const specifier of specifiers) {
      const esm = exported.esm[specifier].join(' ')
      const cjs = exported.cjs[specifier].join(' ')
      if (esm !== cjs) fail(`${setName}: ${specifier} exports differ: ESM [${esm}] CJS [${cjs}]`)
    }
  }

  writeFileSync(join(dir, 'consumer.ts'), consumerSource())
  writeFileSync(join(dir, 'consumer.cts'), consumerSource())
  const modes = {
    nodenext: { module: 'nodenext', moduleResolution: 'nodenext', files: ['consumer.ts', 'consumer.cts'] },
    bundler: { module: 'esnext', moduleResolution: 'bundler', files: ['consumer.ts'] },
    node10: { module: 'commonjs', moduleResolution: 'node10', files: ['consumer.ts'] },
  }
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc')
  for (const [mode, { files, ...compilerOptions }] of Object.entries(modes)) {
    const config = {
      compilerOptions: {
        ...compilerOptions,
        target: 'es2022',
        lib: ['es2023', 'dom'],
        strict: true,
        exactOptionalPropertyTypes: true,
        esModuleInterop: true,
        skipLibCheck: false,
        noEmit: true,
        types: ['node'],
      },
      files,
    }
    writeFileSync(join(dir, `tsconfig.${mode}.json`), `${JSON.stringify(config, null, 2)}\n`)
    const result = run(process.execPath, [tsc, '-p', `tsconfig.${mode}.json`], dir)
    if (result.ok) ok(`${setName}: TypeScript consumer type-checks under ${mode} (${files.join(', ')})`)
    else fail(`${setName}: TypeScript consumer under ${mode}:\n${result.output}`)
  }
}

/**
 * The smoke, as an ES module (`import()`) or a CommonJS script (`require`). It prints
 * `NAMES {...}`, the runtime names each entry point exports, for the ESM/CJS comparison.
 */
function smokeSource(kind, specifiers) {
  // `loadOther` reaches the other format's build: a second copy of every module.
  const load =
    kind === 'esm'
      ? `import { createRequire } from 'node:module'
const load = (specifier) => import(specifier)
const requireOther = createRequire(import.meta.url)
const loadOther = async (specifier) => requireOther(specifier)`
      : `const load = async (specifier) => require(specifier)
const loadOther = (specifier) => import(specifier)`
  return `// Generated by scripts/release-check.mjs.
${load}
const assert = (condition, message) => {
  if (!condition) throw new Error(message)
}

async function main() {
  const names = {}
  const modules = {}
  for (const specifier of ${JSON.stringify(specifiers)}) {
    const mod = await load(specifier)
    modules[specifier] = mod
    names[specifier] = Object.keys(mod).filter((name) => name !== 'default' && name !== '__esModule').sort()
    assert(names[specifier].length > 0, specifier + ' exports nothing')
  }
  const core = modules['@redress/core']
  const { httpPolicy } = modules['@redress/core/http']
  const { createHttpAdapter } = modules['@redress/core/adapter']
  const { instantRetries, FakeClock } = modules['@redress/core/testing']
  assert(typeof createHttpAdapter === 'function' && typeof FakeClock === 'function', 'core subpaths incomplete')

  // The engine: a transient failure twice, then a value; metrics to prom-client and OTel.
  const promClient = await load('prom-client')
  const registry = new promClient.Registry()
  const prometheus = modules['@redress/prometheus'].prometheusHooks({ registry })
  const otel = modules['@redress/otel'].otelHooks()
  const policy = new core.RetryPolicy({ strategy: instantRetries, maxAttempts: 3, onMetric: prometheus.onMetric })
  let calls = 0
  const value = await policy.call(
    () => {
      calls += 1
      if (calls < 3) throw new core.TransientError('flaky')
      return 'done'
    },
    { operation: 'smoke', ...otel.forCall() },
  )
  assert(value === 'done' && calls === 3, 'RetryPolicy: expected 3 calls and "done", got ' + calls + ' and ' + value)
  assert((await registry.metrics()).includes('redress_events_total'), 'prometheusHooks recorded nothing')

  // The adapters: each path answers 503 (Retry-After: 0) once, then 200.
  const { createServer } = await load('node:http')
  const hits = new Map()
  const server = createServer((req, res) => {
    const n = (hits.get(req.url) ?? 0) + 1
    hits.set(req.url, n)
    if (n === 1) res.writeHead(503, { 'retry-after': '0' }).end('busy')
    else res.writeHead(200, { 'content-type': 'text/plain' }).end('ok')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = (path) => 'http://127.0.0.1:' + server.address().port + path
  try {
    const fetchRetried = modules['@redress/fetch'].redressFetch({ policy: httpPolicy() })
    const response = await fetchRetried(url('/fetch'))
    assert(response.status === 200 && (await response.text()) === 'ok', 'fetch: status ' + response.status)
    assert(hits.get('/fetch') === 2, 'fetch: ' + hits.get('/fetch') + ' requests')

    // A policy from the other build of @redress/core (its own classes, its own module state):
    // recognised by its Symbol.for brand, so the adapter retries with it rather than throw.
    const otherHttp = await loadOther('@redress/core/http')
    const otherCore = await loadOther('@redress/core')
    assert(otherHttp.httpPolicy !== httpPolicy && otherCore.RetryPolicy !== core.RetryPolicy, 'no second copy of core')
    const otherPolicy = otherHttp.httpPolicy()
    assert(otherPolicy instanceof core.RetryPolicy && core.isRetryPolicy(otherPolicy), 'a policy of the other copy is not recognised')
    const crossCopy = modules['@redress/fetch'].redressFetch({ policy: otherPolicy })
    const crossResponse = await crossCopy(url('/fetch-other-core'))
    assert(crossResponse.status === 200 && (await crossResponse.text()) === 'ok', 'fetch, other core: status ' + crossResponse.status)
    assert(hits.get('/fetch-other-core') === 2, 'fetch, other core: ' + hits.get('/fetch-other-core') + ' requests')

    const axiosModule = await load('axios')
    const axios = axiosModule.default ?? axiosModule
    const api = axios.create()
    const eject = modules['@redress/axios'].installRedress(api)
    const axiosResponse = await api.get(url('/axios'))
    assert(axiosResponse.status === 200 && axiosResponse.data === 'ok', 'axios: status ' + axiosResponse.status)
    assert(hits.get('/axios') === 2, 'axios: ' + hits.get('/axios') + ' requests')
    eject()

    const undici = await load('undici')
    const agent = new undici.Agent().compose(modules['@redress/undici'].redressInterceptor())
    try {
      const undiciResponse = await undici.request(url('/undici'), { dispatcher: agent })
      assert(undiciResponse.statusCode === 200 && (await undiciResponse.body.text()) === 'ok', 'undici: status ' + undiciResponse.statusCode)
      assert(hits.get('/undici') === 2, 'undici: ' + hits.get('/undici') + ' requests')
    } finally {
      await agent.close()
    }
  } finally {
    await new Promise((resolve) => server.close(resolve))
  }
  console.log('NAMES ' + JSON.stringify(names))
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
`
}

/**
 * A TypeScript consumer of every package: compiled, never run. Written to consumer.ts and
 * consumer.cts, so nodenext checks both the `import` and the `require` types.
 */
function consumerSource() {
  return `// Generated by scripts/release-check.mjs.
import {
  ErrorClass,
  isRedressError,
  RetryPolicy,
  type RetryOptions,
  type RetryOutcome,
  type Strategy,
  TransientError,
} from '@redress/core'
import { createHttpAdapter, type HttpRequest } from '@redress/core/adapter'
import { type HttpAdapterOptions, httpPolicy, parseRetryAfter, type RedressRequestOptions } from '@redress/core/http'
import { FakeClock, instantRetries } from '@redress/core/testing'
import { installRedress, type InstallRedressOptions, type RedressAxiosRequestOptions } from '@redress/axios'
import { redressFetch, type RedressFetchOptions } from '@redress/fetch'
import { otelHooks, type OtelHooks } from '@redress/otel'
import { prometheusHooks, type PrometheusHooks } from '@redress/prometheus'
import { redressInterceptor, type RedressDispatchOptions, type RedressInterceptorOptions } from '@redress/undici'
import { type RedisClientLike, RedisRetryBudget, redisBreakers, redisBudgets } from '@redress/redis'
import { FleetTokenBudget } from '@redress/redis/model'
import axios from 'axios'
import type { Redis } from 'ioredis'
import { Registry } from 'prom-client'
import { createClient } from 'redis'
import { Agent, request } from 'undici'

const strategy: Strategy = instantRetries
const options: RetryOptions = { maxAttempts: 3, strategy }
const policy: RetryPolicy = new RetryPolicy(options)
const clock = new FakeClock()
const outcome: Promise<RetryOutcome<number>> = policy.execute(async ({ signal }) => (signal.aborted ? 0 : 1))
const value: Promise<string> = policy.call(() => 'x', { operation: 'op' })
const errorClass: string = ErrorClass.TRANSIENT
const isError: boolean = isRedressError(new TransientError('x'))
const delayMs: number | undefined = parseRetryAfter('5', Date.now())
const virtualNowMs: number = clock.now()

const http = httpPolicy()
const adapterOptions: HttpAdapterOptions = { policy: http }
const adapter = createHttpAdapter(adapterOptions, 'consumer')
declare const summary: HttpRequest
const perRequest: RedressRequestOptions = { retry: false }

const fetchOptions: RedressFetchOptions = { policy: http, maxBufferedBodyBytes: 0 }
const retryingFetch: typeof fetch = redressFetch(fetchOptions)

const api = axios.create()
const axiosOptions: InstallRedressOptions = { policy: http }
const eject: () => void = installRedress(api, axiosOptions)
const axiosPerRequest: RedressAxiosRequestOptions = { operation: 'getReport' }
// The module augmentation: \`redress\` is a known option of every axios request config.
void api.get('/report', { redress: { retry: false } })
void api.post('/orders', {}, { redress: axiosPerRequest })
// @ts-expect-error an unknown per-request option is a type error
void api.get('/report', { redress: { retries: 3 } })

const interceptorOptions: RedressInterceptorOptions = { policy: http }
const agent = new Agent().compose(redressInterceptor(interceptorOptions))
const dispatchOptions: RedressDispatchOptions = { redress: { operation: 'undici' } }
// The module augmentation of undici's DispatchOptions.
void request('http://127.0.0.1:1/', { dispatcher: agent, redress: { operation: 'undici' } })

const otel: OtelHooks = otelHooks()
const prometheus: PrometheusHooks = prometheusHooks({ registry: new Registry() })

// Both Redis clients are what @redress/redis takes (no cast): an ioredis client by its type
// (ioredis before 5.2.5 exports \`Redis\` by name as a type only), a node-redis one as created.
declare const ioredisClient: Redis
const ioredis: RedisClientLike = ioredisClient
const nodeRedis: RedisClientLike = createClient()
const fleetPolicy = httpPolicy({
  budgetFor: redisBudgets({ client: ioredis }),
  breakerFor: redisBreakers({ client: nodeRedis }),
})
const fleetBudget = new RedisRetryBudget({ client: ioredis, key: 'budget:{payments}' })
const localHalf: FleetTokenBudget = new FleetTokenBudget({ maxTokens: 20 })

export {
  adapter,
  agent,
  delayMs,
  dispatchOptions,
  eject,
  errorClass,
  fleetBudget,
  fleetPolicy,
  isError,
  localHalf,
  otel,
  outcome,
  perRequest,
  prometheus,
  retryingFetch,
  summary,
  value,
  virtualNowMs,
}
`
}
