import { describe, expect, it } from 'vitest'
import {
  HEDGE_TARGETS,
  type HedgeRound,
  type HedgeVariantResult,
  hedgeVerdictLine,
  judgeHedging,
  judgeRounds,
  pooled,
  UNDISTURBED,
  undisturbed,
} from '../src/hedge/hedgeReport.ts'
import { TAIL_LATENCY, tailDelayMs } from '../src/hedge/tailLatency.ts'

function variant(name: string, latencies: number[], requests: number): HedgeVariantResult {
  return { name, option: '{}', latencies, failures: 0, calls: latencies.length, requests }
}

/** 100 calls: `slow` of them at 400 ms, the rest at 1 ms. */
const calls = (slow: number): number[] => Array.from({ length: 100 }, (_, i) => (i < slow ? 400 : 1))

describe('judgeHedging', () => {
  it('passes a variant whose p99 is at least 5x lower for at most 5 % more requests', () => {
    const [v] = judgeHedging([variant('none', calls(3), 100), variant('hedged', calls(0), 105)])
    expect(v).toMatchObject({ name: 'hedged', p99Ratio: 400, pass: true })
    expect(v?.extra).toBeCloseTo(0.05)
    expect(hedgeVerdictLine(v as never)).toMatch(/^PASS hedged: p99 400\.0× lower .* for 5\.00 % more requests/)
  })

  it('misses on too many extra requests, or too small a gain', () => {
    const [costly, slow] = judgeHedging([
      variant('none', calls(3), 100),
      variant('costly', calls(0), 106),
      variant('slow', calls(2), 101),
    ])
    expect(costly?.pass).toBe(false)
    expect(slow?.pass).toBe(false)
    expect(hedgeVerdictLine(slow as never)).toMatch(/^MISSED slow/)
    expect(HEDGE_TARGETS).toEqual({ minP99Ratio: 5, maxExtraRequests: 0.05 })
  })
})

describe('judgeRounds', () => {
  const round = (hedgedSlow: number, baseSlow = 3): HedgeRound => ({
    variants: [variant('none', calls(baseSlow), 100), variant('hedged', calls(hedgedSlow), 104)],
    lagP99Ms: 1,
    lagMaxMs: 2,
  })

  it('judges the median round, so one round a pause of the machine hit does not decide', () => {
    // The third round's pause made every call in it slow for both variants.
    const [v] = judgeRounds([round(0), round(0), round(5, 5)])
    expect(v).toMatchObject({ name: 'hedged', p99Ratio: 400, pass: true })
    expect(v?.extra).toBeCloseTo(0.04)
  })

  it('calls a round undisturbed only when the client timers ran late by little, and never paused near the slow band', () => {
    expect(undisturbed({ ...round(0), lagP99Ms: UNDISTURBED.maxLagP99Ms, lagMaxMs: UNDISTURBED.maxLagMaxMs })).toBe(
      true,
    )
    expect(undisturbed({ ...round(0), lagP99Ms: UNDISTURBED.maxLagP99Ms + 1 })).toBe(false)
    expect(undisturbed({ ...round(0), lagMaxMs: UNDISTURBED.maxLagMaxMs + 1 })).toBe(false)
    expect(UNDISTURBED.maxLagMaxMs).toBeLessThan(TAIL_LATENCY.slowMinMs)
  })

  it('pools every call of every round for the table', () => {
    const [none, hedged] = pooled([round(0), round(5, 5)])
    expect([none?.calls, none?.requests, hedged?.requests]).toEqual([200, 200, 208])
    expect(hedged?.latencies.filter((l) => l > 1)).toHaveLength(5)
  })
})

describe('the heavy-tailed server latency', () => {
  it('is fast for 97 % of draws and in the slow band for the rest', () => {
    expect(tailDelayMs(TAIL_LATENCY.slowFraction, 0.5)).toBe(TAIL_LATENCY.fastMs)
    expect(tailDelayMs(0, 0)).toBe(TAIL_LATENCY.slowMinMs)
    expect(tailDelayMs(0.029, 0.999)).toBeLessThan(TAIL_LATENCY.slowMaxMs)
  })
})
