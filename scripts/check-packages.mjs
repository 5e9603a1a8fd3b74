// Checks every workspace package the way a consumer's toolchain will see it once published:
// publint for the package.json/exports/files shape, attw for types under node10, node16 (CJS and
// ESM) and bundler resolution. Both read dist/, so run `pnpm build` first.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(fileURLToPath(import.meta.url), '../..')
const bin = (name) => join(root, 'node_modules', '.bin', name)
const packagesDir = join(root, 'packages')

// A private package (packages/test-support) is never built nor published, so there is nothing to check.
const isPublished = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private !== true

const packageDirs = readdirSync(packagesDir, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(packagesDir, entry.name, 'package.json')))
  .map((entry) => join(packagesDir, entry.name))
  .filter(isPublished)
  .sort()

if (packageDirs.length === 0) {
  console.error('check-packages: no package found under packages/*')
  process.exit(1)
}

const run = (command, args, cwd) => {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error ? String(result.error) : ''}`
  return { ok: result.status === 0, output: output.trim() }
}

let failures = 0
for (const dir of packageDirs) {
  const { name } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const shown = relative(root, dir)
  if (!existsSync(join(dir, 'dist'))) {
    failures += 1
    console.log(`FAIL ${name} (${shown}): no dist/ — run \`pnpm build\` first`)
    continue
  }
  const publint = run(bin('publint'), ['--strict'], dir)
  const attw = run(bin('attw'), ['--pack', dir, '--format', 'table-flipped'], root)
  const problems = [publint.ok ? null : 'publint', attw.ok ? null : 'attw'].filter((tool) => tool !== null)
  if (problems.length === 0) {
    console.log(`ok   ${name} (${shown}): publint --strict clean, attw clean`)
    continue
  }
  failures += 1
  console.log(`FAIL ${name} (${shown}): problems reported by ${problems.join(' and ')}`)
  if (!publint.ok) console.log(`--- publint --strict (${shown})\n${publint.output}`)
  if (!attw.ok) console.log(`--- attw --pack ${shown}\n${attw.output}`)
}

console.log(
  failures === 0
    ? `check-packages: all ${packageDirs.length} packages clean`
    : `check-packages: ${failures} of ${packageDirs.length} packages have problems`,
)
process.exit(failures === 0 ? 0 : 1)
