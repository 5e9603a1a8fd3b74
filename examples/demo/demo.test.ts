import { describe, expect, it } from 'vitest'
import { quietPrinter } from './Printer.ts'
import { CALL_DEADLINE_MS, runDemo } from './runDemo.ts'
import { SCENARIO } from './scenario.ts'

// The demo against its real embedded server: these are the claims its summary makes, checked
// on measured numbers. Wall time is spent by the scenario itself (Retry-After, the outage),
// not by the test waiting on margins.
describe('the demo', () => {
  it('runs every client through the scenario and backs each claim of its summary', async () => {
    const lines: string[] = []
    const runs = await runDemo(quietPrinter(lines))
    const naive = runs.find((r) => !r.redress)
    const redress = runs.filter((r) => r.redress)

    expect(redress.map((r) => r.client)).toEqual([
      'redressFetch',
      'axios + installRedress',
      'undici + redressInterceptor',
      'ky + redressFetch',
    ])
    expect(naive).toBeDefined()
    if (naive === undefined) return
    for (const r of redress) {
      expect(r.requests, r.client).toBeGreaterThanOrEqual(SCENARIO.length)
      expect(r.requests, r.client).toBeLessThan(naive.requests)
      expect(r.postsDuplicated, r.client).toBe(0)
      expect(r.pastDeadline, r.client).toBe(0)
      expect(r.outageRequests, r.client).toBeLessThan(naive.outageRequests)
      expect(r.outageElapsedMs, r.client).toBeLessThan(naive.outageElapsedMs)
    }
    // The adapters share one engine, so they tell the same story.
    expect(new Set(redress.map((r) => r.requests)).size).toBe(1)
    expect(naive.postsDuplicated).toBe(1)
    expect(naive.pastDeadline).toBeGreaterThanOrEqual(1)
    expect(lines.some((l) => l.includes("server's Retry-After 1000 ms"))).toBe(true)
    expect(lines.some((l) => l.includes('stop: BUDGET_EXHAUSTED'))).toBe(true)
    expect(lines.some((l) => l.includes(`calls past the ${CALL_DEADLINE_MS} ms deadline`))).toBe(true)
  }, 60_000)
})
