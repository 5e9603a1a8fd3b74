import { describe, expect, it } from 'vitest'
import { cpuProfileTop } from '../src/overhead/cpuProfileTop.ts'

// Three nodes; samples hit b twice and a once. Each sample's time is the next delta.
const profile = JSON.stringify({
  nodes: [
    { id: 1, callFrame: { functionName: '', url: '', lineNumber: -1, columnNumber: -1 } },
    {
      id: 2,
      callFrame: { functionName: 'a', url: 'file:///x/packages/core/dist/a.js', lineNumber: 9, columnNumber: 0 },
    },
    { id: 3, callFrame: { functionName: 'b', url: 'node:internal/b', lineNumber: 0, columnNumber: 0 } },
  ],
  samples: [3, 2, 3],
  timeDeltas: [0, 100, 300, 600],
})

describe('cpuProfileTop', () => {
  it('ranks functions by self time, charging each sample the delta to the next one', () => {
    const top = cpuProfileTop(profile, 5)
    expect(top.map((t) => t.frame)).toEqual(['b (node:internal/b:1)', 'a (core/dist/a.js:10)'])
    expect(top[0]?.selfMs).toBeCloseTo(0.7)
    expect(top[1]?.share).toBeCloseTo(0.3)
  })

  it('keeps shares relative to all samples when frames are filtered, and uses the located source', () => {
    const top = cpuProfileTop(profile, 5, {
      include: (url) => url.includes('/packages/'),
      locate: () => 'core/src/a.ts:3',
    })
    expect(top).toHaveLength(1)
    expect(top[0]?.frame).toBe('a (core/src/a.ts:3)')
    expect(top[0]?.share).toBeCloseTo(0.3)
  })
})
