import { defineConfig } from 'vitest/config'

// Workspace packages resolve to their TypeScript source through the custom
// "@redress/source" export condition, so tests never need a build. No "module" condition:
// it is a bundler-only convention, and Node given it loads @opentelemetry/api's
// extensionless ESM build, which it cannot run.
const conditions = ['@redress/source', 'import', 'node', 'default']

// CI runs adapter tests again against other versions of their peer dependencies — undici 8
// on Node 22, and the lowest version each peer range admits (scripts/test-peers.mjs) — by
// pointing these variables at separately installed copies; unset, each name resolves to the
// workspace's own copy.
const PEER_PATH_VARIABLES: Readonly<Record<string, string>> = {
  undici: 'REDRESS_UNDICI_PATH',
  axios: 'REDRESS_AXIOS_PATH',
  'prom-client': 'REDRESS_PROM_CLIENT_PATH',
  '@opentelemetry/api': 'REDRESS_OTEL_API_PATH',
}
const alias: Record<string, string> = {}
for (const [name, variable] of Object.entries(PEER_PATH_VARIABLES)) {
  const path = process.env[variable]
  if (path !== undefined && path !== '') alias[name] = path
}

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
