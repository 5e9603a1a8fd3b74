import { exportLists } from '@redress/test-support/exportList'
import { expect, it } from 'vitest'

// The package's public surface, reviewed: a new, renamed or removed export changes this
// snapshot, so it shows up in review. Update with `pnpm exec vitest run -u packages/redis/test/exports.test.ts`.
it('exports exactly the reviewed names', () => {
  const lists = exportLists([
    new URL('../src/index.ts', import.meta.url),
    new URL('../src/model/index.ts', import.meta.url),
  ])
  expect(lists).toMatchSnapshot()
})
