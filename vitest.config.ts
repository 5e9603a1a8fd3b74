import { defineConfig } from 'vitest/config'

// Workspace packages resolve to their TypeScript source through the custom
// "@redress/source" export condition, so tests never need a build. No "module" condition:
// it is a bundler-only convention, and Node given it loads @opentelemetry/api's
// extensionless ESM build, which it cannot run.
const conditions = ['@redress/source', 'import', 'node', 'default']

// CI runs the undici adapter's tests a second time against undici 8 (on Node 22) by
// pointing this at a separately installed copy; unset, `undici` is the workspace's v7.
const undiciPath = process.env.REDRESS_UNDICI_PATH
const alias: Record<string, string> = undiciPath ? { undici: undiciPath } : {}

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
