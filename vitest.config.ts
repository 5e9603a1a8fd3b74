import { defineConfig } from 'vitest/config'

// Workspace packages resolve to their TypeScript source through the custom
// "@redress/source" export condition, so tests never need a build.
const conditions = ['@redress/source', 'import', 'module', 'node', 'default']

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@redress/source'] } },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'examples/**/*.test.ts'],
    typecheck: { enabled: true, include: ['packages/*/test/**/*.test-d.ts', 'packages/*/src/**/*.test-d.ts'], tsconfig: './tsconfig.json' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
})
