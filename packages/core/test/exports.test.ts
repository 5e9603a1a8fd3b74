import { exportLists, internalsReachable, sourceEntries } from '@redress/test-support/exportList'
import { expect, it } from 'vitest'

// Every entry point of the package.json exports map: ., ./http, ./adapter, ./testing.
const entries = sourceEntries(new URL('../package.json', import.meta.url))

// The package's public surface, reviewed: a new, renamed or removed export changes this
// snapshot, so it shows up in review. Update with `pnpm exec vitest run -u packages/core/test/exports.test.ts`.
it('exports exactly the reviewed names', () => {
  expect(exportLists(entries)).toMatchSnapshot()
})

// What the built .d.ts carries beyond the exports: a type of core's own that a consumer meets in a
// public signature but cannot import (an internal leaking, or a missing export). None is left:
// StepRun's constructor is private (runs come from policy.start/resume), and `retry` constrains
// its function types inline.
it('reaches no unexported type of its own from its public declarations', () => {
  expect(internalsReachable(entries)).toEqual([])
})
