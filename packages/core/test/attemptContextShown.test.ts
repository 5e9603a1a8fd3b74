import { inspect } from 'node:util'
import { RetryPolicy } from '@redress/core'
import { describe, expect, it } from 'vitest'

describe('the context an operation receives', () => {
  it('shows its attempt, not the call behind it, to JSON.stringify and console.log, on the quiet path and in a full run alike', async () => {
    const secret = { token: 's3cret-token' }
    const shown = async (policy: RetryPolicy): Promise<string[]> =>
      policy.call((ctx) => [JSON.stringify(ctx), inspect(ctx, { depth: 8 })], { tags: secret })
    // No hook: the first attempt runs on the quiet path (no run behind it until it fails).
    const [quietJson, quietShown] = await shown(new RetryPolicy({ deadlineMs: 5_000 }))
    // A hook: the call runs in a full run, whose attempts are `Attempt`s.
    const [fullJson, fullShown] = await shown(new RetryPolicy({ deadlineMs: 5_000, onMetric: () => {} }))
    expect(quietJson).toBe('{"attempt":1}')
    expect(fullJson).toBe('{"attempt":1}')
    for (const text of [quietShown, fullShown]) {
      expect(text).toMatch(/attempt: 1/)
      expect(text).not.toMatch(/s3cret|deadlineMs|5000/)
    }
  })
})
