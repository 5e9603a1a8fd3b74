// Checks every published package the way a consumer's toolchain will see it: each is packed
// with `pnpm pack` (as `pnpm publish` packs it), and the tarball goes through publint
// (package.json, exports, files) and attw (types under node10, node16 CJS and ESM, and bundler
// resolution). Both read dist/, so run `pnpm build` first.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { packPackage, publicPackages, root, run } from './publicPackages.mjs'

const bin = (name) => join(root, 'node_modules', '.bin', name)

// A private package (packages/test-support) is never built nor published, so there is nothing to check.
const packages = publicPackages()
if (packages.length === 0) {
  console.error('check-packages: no package found under packages/*')
  process.exit(1)
}

const scratch = mkdtempSync(join(tmpdir(), 'redress-check-packages-'))
let failures = 0
try {
  for (const pkg of packages) {
    const { name } = pkg.manifest
    if (!existsSync(join(pkg.dir, 'dist'))) {
      failures += 1
      console.log(`FAIL ${name} (${pkg.shortDir}): no dist/ — run \`pnpm build\` first`)
      continue
    }
    const tarball = packPackage(pkg, scratch)
    const publint = run(bin('publint'), ['run', tarball, '--strict'], root)
    const attw = run(bin('attw'), [tarball, '--format', 'table-flipped'], root)
    const problems = [publint.ok ? null : 'publint', attw.ok ? null : 'attw'].filter((tool) => tool !== null)
    if (problems.length === 0) {
      console.log(`ok   ${name} (${pkg.shortDir}): publint --strict clean, attw clean (pnpm-packed tarball)`)
      continue
    }
    failures += 1
    console.log(`FAIL ${name} (${pkg.shortDir}): problems reported by ${problems.join(' and ')}`)
    if (!publint.ok) console.log(`--- publint --strict (${pkg.shortDir})\n${publint.output}`)
    if (!attw.ok) console.log(`--- attw (${pkg.shortDir})\n${attw.output}`)
  }
} finally {
  rmSync(scratch, { recursive: true, force: true })
}

console.log(
  failures === 0
    ? `check-packages: all ${packages.length} packages clean`
    : `check-packages: ${failures} of ${packages.length} packages have problems`,
)
process.exit(failures === 0 ? 0 : 1)
