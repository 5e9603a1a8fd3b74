import { fullJitter } from '@redress/core'
import { describe, expect, it } from 'vitest'
import { lineChart } from '../src/report/lineChart.ts'
import { rebaseLinks } from '../src/report/writeReadme.ts'
import { CLIENT_POLICIES } from '../src/sim/clientPolicies.ts'
import { runContention } from '../src/sim/contention.ts'
import { noBackoff } from '../src/sim/noBackoff.ts'
import { runOpenLoop } from '../src/sim/openLoop.ts'
import { recoveryTime } from '../src/sim/recoveryTime.ts'

const policy = (name: string): (typeof CLIENT_POLICIES)[number] => {
  const p = CLIENT_POLICIES.find((x) => x.name === name)
  if (p === undefined) throw new Error(`no policy ${name}`)
  return p
}

describe('contention simulation', () => {
  it('gives the same result for the same seed and lets every client write exactly once', () => {
    const a = runContention({ clients: 12, strategy: fullJitter({ baseMs: 5, maxMs: 2000 }), seed: 7 })
    const b = runContention({ clients: 12, strategy: fullJitter({ baseMs: 5, maxMs: 2000 }), seed: 7 })
    expect(a).toEqual(b)
    expect(a.attempts).toBeGreaterThanOrEqual(12)
  })

  it('needs one attempt per client when there is a single client', () => {
    expect(runContention({ clients: 1, strategy: noBackoff, seed: 1 }).attempts).toBe(1)
  })
})

describe('open-loop simulation', () => {
  const tiny = (name: string, failureProbability: number) =>
    runOpenLoop({
      clients: 3,
      requestsPerSecondPerClient: 5,
      durationMs: 5000,
      timeoutMs: 1000,
      server: { kind: 'flaky', failureProbability },
      seed: 3,
      makeClient: policy(name).makeClient,
    })

  it('is deterministic for a seed', () => {
    expect(tiny('default HTTP policy', 0.3)).toEqual(tiny('default HTTP policy', 0.3))
  })

  it('makes exactly 3 attempts per request in a total outage without a budget', () => {
    const r = tiny('3 attempts, no budget', 1)
    expect(r.succeeded).toBe(0)
    expect(r.attempts).toBe(3 * r.requests)
  })

  it('stops retrying once the default per-origin TokenBudget has drained', () => {
    const r = tiny('default HTTP policy', 1)
    // Each client's bucket of 10 allows retries while above 5: at most 5 failures buy retries.
    expect(r.attempts - r.requests).toBeLessThanOrEqual(3 * 5)
  })

  it('counts answers that come back after the client timeout as wasted work', () => {
    const r = runOpenLoop({
      clients: 1,
      requestsPerSecondPerClient: 50,
      durationMs: 2000,
      timeoutMs: 1000,
      server: { kind: 'fifo', capacityPerS: 1000, pauseAtMs: 500, pauseMs: 1500 },
      seed: 5,
      makeClient: policy('no retries').makeClient,
    })
    expect(r.wastedCompletions).toBeGreaterThan(0)
    expect(r.succeeded + r.wastedCompletions).toBe(r.serverCompletions)
  })
})

describe('recoveryTime', () => {
  it('is the start of the first second of healthy buckets after the disturbance', () => {
    const bad = [Number.POSITIVE_INFINITY]
    const ok = [10]
    const buckets = [ok, bad, bad, ok, bad, ...Array.from({ length: 10 }, () => ok)]
    expect(recoveryTime({ latenciesPerBucket: buckets, bucketMs: 100, baselineP99Ms: 10, fromMs: 100 })).toBe(400)
  })

  it('counts a call refused without an attempt as a timed-out attempt of its bucket (issue 16)', () => {
    const ok = [10]
    const buckets = Array.from({ length: 15 }, () => ok)
    const failedPerBucket = [0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    expect(recoveryTime({ latenciesPerBucket: buckets, bucketMs: 100, baselineP99Ms: 10, fromMs: 0 })).toBe(0)
    expect(
      recoveryTime({ latenciesPerBucket: buckets, failedPerBucket, bucketMs: 100, baselineP99Ms: 10, fromMs: 0 }),
    ).toBe(300)
  })

  it('is undefined when the latency never settles', () => {
    expect(
      recoveryTime({ latenciesPerBucket: [[50], [], [50]], bucketMs: 100, baselineP99Ms: 10, fromMs: 0 }),
    ).toBeUndefined()
  })
})

describe('report helpers', () => {
  it('writes the same SVG for the same data and escapes labels', () => {
    const opts = {
      title: 'a < b',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ name: 'p&q', points: [[1, 2] as const, [2, 4] as const] }],
    }
    expect(lineChart(opts)).toBe(lineChart(opts))
    expect(lineChart(opts)).toContain('a &lt; b')
    expect(lineChart(opts)).toContain('p&amp;q')
  })

  it('rebases relative links of a section onto results/ and leaves URLs alone', () => {
    expect(rebaseLinks('![c](chart.svg) [s](https://x.test/a) [h](#t)', 'results/')).toBe(
      '![c](results/chart.svg) [s](https://x.test/a) [h](#t)',
    )
  })
})
