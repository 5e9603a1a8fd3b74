import { exportLists } from '@redress/test-support/exportList'
import { expect, it } from 'vitest'

// The package's public surface, reviewed: a new, renamed or removed export changes this
// snapshot, so it shows up in review. Update with `pnpm exec vitest run -u packages/core/test/exports.test.ts`.
it('exports exactly the reviewed names', () => {
  const lists = exportLists([
    new URL('../src/index.ts', import.meta.url),
    new URL('../src/http/index.ts', import.meta.url),
    new URL('../src/adapter/index.ts', import.meta.url),
    new URL('../src/testing/index.ts', import.meta.url),
  ])
  expect(lists).toMatchSnapshot()
})
