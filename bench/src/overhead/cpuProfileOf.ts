import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runJson } from './runJson.ts'

/**
 * Runs `node --cpu-prof <args>` (100 µs sampling) in a scratch directory and returns the
 * `.cpuprofile` it wrote, as JSON text; `undefined` when it wrote none. The child's own
 * output is parsed and dropped.
 */
export async function cpuProfileOf(
  node: string,
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'redress-cpuprof-'))
  try {
    await runJson<unknown>(node, ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=100', ...args], env)
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))
    return file === undefined ? undefined : readFileSync(join(dir, file), 'utf8')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
