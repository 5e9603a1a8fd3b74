import { defineConfig } from 'vitest/config'

// The vitest config `pnpm mutation` (StrykerJS, stryker.config.mjs) runs @redress/core's own tests
// with: only core's test files, no type tests and no JSON report, so each mutant's run stays small.
// Stryker sets the pool (threads, one worker per Stryker process) and picks the related tests.
const conditions = ['@redress/source', 'import', 'node', 'default']

export default defineConfig({
  resolve: { conditions },
  ssr: { resolve: { conditions, externalConditions: ['@redress/source'] } },
  test: {
    include: ['packages/core/src/**/*.test.ts', 'packages/core/test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
})
