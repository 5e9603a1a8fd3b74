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
// public signature but cannot import (an internal leaking, or a missing export). The list must
// only shrink. Left (issue 13): StepRun's public constructor takes the engine's `Run`, which drags
// in ResolvedPolicy and what it holds; `Retried`/`RetryDecorator`/`retry` constrain F by an
// unexported `AnyFunction` (both in policy/).
it('reaches no unexported type of its own from its public declarations, but the listed leftovers', () => {
  expect(internalsReachable(entries)).toEqual([
    'AnyFunction (packages/core/src/policy/retry.ts)',
    'CoreDecision (packages/core/src/policy/decide.ts)',
    'DeadlineEntry (packages/core/src/policy/DeadlineQueue.ts)',
    'DeadlineQueue (packages/core/src/policy/DeadlineQueue.ts)',
    'LatencyHistory (packages/core/src/hedge/LatencyHistory.ts)',
    'LatencyWindow (packages/core/src/hedge/LatencyWindow.ts)',
    'ResolvedPolicy (packages/core/src/policy/resolveOptions.ts)',
    'Run (packages/core/src/policy/Run.ts)',
  ])
})
