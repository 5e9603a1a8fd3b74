// Runs every example (examples/<name>/index.ts) one after another, as CI does, and
// fails if any exits non-zero or takes longer than a minute.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const names = readdirSync(here, { withFileTypes: true })
  .filter(
    (d) =>
      d.isDirectory() && d.name !== 'node_modules' && d.name !== 'demo' && existsSync(join(here, d.name, 'index.ts')),
  )
  .map((d) => d.name)
  .filter((n) => only.length === 0 || only.includes(n))
  .sort()

let failed = 0
for (const name of names) {
  const started = Date.now()
  console.log(`\n=== examples/${name}`)
  const r = spawnSync(
    process.execPath,
    ['--conditions=@redress/source', '--import', 'tsx', join(here, name, 'index.ts')],
    {
      stdio: 'inherit',
      timeout: 60_000,
      env: { ...process.env, FORCE_COLOR: '0' },
    },
  )
  const ok = r.status === 0
  if (!ok) failed++
  console.log(
    `=== examples/${name}: ${ok ? 'ok' : `FAILED (${r.error?.message ?? `exit ${r.status}`})`} in ${Date.now() - started} ms`,
  )
}
console.log(`\n${names.length - failed}/${names.length} examples ran`)
process.exit(failed === 0 ? 0 : 1)
