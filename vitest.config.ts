import { defineConfig } from 'vitest/config'

// Workspace packages resolve to their TypeScript source through the custom
// "@redress/source" export condition, so tests never need a build. No "module" condition:
// it is a bundler-only convention, and Node given it loads @opentelemetry/api's
// extensionless ESM build, which it cannot run.
const conditions = ['@redress/source', 'import', 'node', 'default']

// CI runs adapter tests again against other versions of their peer dependencies by aliasing
// the package names to separately installed copies: REDRESS_UNDICI_PATH points `undici` at
// undici 8 (on Node 22, .ci/run), and REDRESS_PEER_PATHS is a JSON object from package name to
// directory (scripts/test-peers.mjs: the lowest and the newest version each peer range admits).
// Unset, every name resolves to the workspace's own copy.
const alias: Record<string, string> = {}
const peerPaths: unknown = JSON.parse(process.env.REDRESS_PEER_PATHS || '{}')
if (typeof peerPaths !== 'object' || peerPaths === null || Array.isArray(peerPaths)) {
  throw new TypeError(`REDRESS_PEER_PATHS must be a JSON object of package name to directory, got ${String(peerPaths)}`)
}
for (const [name, path] of Object.entries(peerPaths)) {
  if (typeof path !== 'string' || path === '')
    throw new TypeError(`REDRESS_PEER_PATHS: "${name}" must map to a directory`)
  alias[name] = path
}
if (process.env.REDRESS_UNDICI_PATH) alias.undici = process.env.REDRESS_UNDICI_PATH

export default defineConfig({
  resolve: { conditions, alias },
  ssr: { resolve: { conditions, externalConditions: ['@redress/source'] } },
  test: {
    include: [
      'packages/*/src/**/*.test.ts',
      'packages/*/test/**/*.test.ts',
      'examples/**/*.test.ts',
      'bench/test/**/*.test.ts',
    ],
    typecheck: {
      enabled: true,
      include: ['packages/*/test/**/*.test-d.ts', 'packages/*/src/**/*.test-d.ts'],
      tsconfig: './tsconfig.json',
    },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
    // CI sums the counts from this file; the default reporter still prints for humans.
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
})
