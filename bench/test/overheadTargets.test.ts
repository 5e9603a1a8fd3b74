import { describe, expect, it } from 'vitest'
import type { ClientFamily } from '../src/overhead/ClientFamily.ts'
import type { CostRow } from '../src/overhead/CostRow.ts'
import type { HttpRow } from '../src/overhead/HttpRow.ts'
import { judgeOverheadTargets, OVERHEAD_TARGETS, verdictLine } from '../src/overhead/overheadTargets.ts'
import type { RoundSummary } from '../src/overhead/RoundSummary.ts'
import type { VariantKind } from '../src/overhead/VariantKind.ts'

const flat = (v: number): RoundSummary => ({ median: v, p25: v, p75: v, min: v, max: v })

const httpRow = (variant: string, kind: VariantKind, throughput: number, cpuUsAbove = 0): HttpRow => ({
  variant,
  kind,
  rps: flat(1000 * throughput),
  throughput: flat(throughput),
  p50: flat(1),
  p99: flat(1),
  p50Ms: 1,
  p99Ms: 2,
  cpuUs: flat(50 + cpuUsAbove),
  cpuUsAbovePassThrough: flat(cpuUsAbove),
  bytes: flat(1000),
  bytesAbovePassThrough: 0,
})

const coreRow = (variant: string, kind: VariantKind, wallNs: number[], bytes: number, bareNs: number[]): CostRow => ({
  variant,
  kind,
  wallNs: flat(wallNs[0] ?? 0),
  cpuNs: flat(wallNs[0] ?? 0),
  wallNsAbove: flat((wallNs[0] ?? 0) - (bareNs[0] ?? 0)),
  cpuNsAbove: flat((wallNs[0] ?? 0) - (bareNs[0] ?? 0)),
  bytes: flat(bytes),
  bytesAbove: bytes - 200,
  rounds: { variant, kind, wallNsPerOp: wallNs, cpuNsPerOp: wallNs },
})

const core = (oursNs: number, cockatielNs: number, oursBytes: number): CostRow[] => [
  coreRow('bare await fn()', 'raw', [100], 200, [100]),
  coreRow('redress policy.call', 'redress', [oursNs], oursBytes, [100]),
  coreRow('cockatiel retry().execute', 'peer', [cockatielNs], 900, [100]),
]

describe('judgeOverheadTargets', () => {
  it('passes a build within every target and prints PASS lines', () => {
    const http = new Map<ClientFamily, HttpRow[]>([
      [
        'fetch',
        [
          httpRow('fetch', 'raw', 1),
          httpRow('pass-through', 'passthrough', 0.995),
          httpRow('redressFetch()', 'redress', 0.98, 2.5),
          httpRow('fetch-retry', 'peer', 0.97, 4),
        ],
      ],
    ])
    const verdicts = judgeOverheadTargets(http, core(240, 300, 480))
    expect(verdicts.map((v) => v.pass)).toEqual([true, true, true, true, true, true])
    expect(verdicts.map(verdictLine).every((l) => l.startsWith('PASS   '))).toBe(true)
  })

  it('misses each target just past its limit', () => {
    const t = OVERHEAD_TARGETS
    const http = new Map<ClientFamily, HttpRow[]>([
      [
        'axios',
        [
          httpRow('axios', 'raw', 1),
          httpRow('pass-through', 'passthrough', 1),
          httpRow('installRedress()', 'redress', t.minThroughputRatio - 0.01, t.maxCpuUsAbovePassThrough + 0.01),
          httpRow('axios-retry', 'peer', t.minThroughputRatio - 0.01),
        ],
      ],
    ])
    const verdicts = judgeOverheadTargets(
      http,
      core(100 + t.maxCoreNsAboveBare + 1, 250, 200 + t.maxCoreBytesAboveBare + 1),
    )
    expect(verdicts.map((v) => v.pass)).toEqual([false, false, false, false, false, false])
    expect(verdictLine(verdicts[0] ?? { pass: true, text: '' })).toMatch(/^MISSED axios: installRedress\(\) throughput/)
  })

  it('asks undici for CPU and for beating its peer, not for a share of raw throughput', () => {
    const http = new Map<ClientFamily, HttpRow[]>([
      [
        'undici',
        [
          httpRow('undici request', 'raw', 1),
          httpRow('pass-through interceptor', 'passthrough', 0.95),
          httpRow('redressInterceptor()', 'redress', 0.9, 1),
          httpRow('interceptors.retry()', 'peer', 0.85),
        ],
      ],
    ])
    const verdicts = judgeOverheadTargets(http, core(200, 300, 400)).filter((v) => v.text.startsWith('undici'))
    expect(verdicts).toHaveLength(2)
    expect(verdicts.every((v) => v.pass)).toBe(true)
  })

  it('judges client CPU on the in-process rows when the run has them', () => {
    const http = new Map<ClientFamily, HttpRow[]>([
      [
        'undici',
        [
          httpRow('undici request', 'raw', 1),
          httpRow('pass-through interceptor', 'passthrough', 0.95),
          // Over loopback, 40 µs above the pass-through: the noise of sockets on a shared machine.
          httpRow('redressInterceptor()', 'redress', 0.9, 40),
          httpRow('interceptors.retry()', 'peer', 0.85),
        ],
      ],
    ])
    const local = (aboveNs: number): Map<ClientFamily, CostRow[]> =>
      new Map([
        [
          'undici',
          [
            coreRow('pass-through interceptor', 'passthrough', [20_000], 9_000, [20_000]),
            coreRow('redressInterceptor()', 'redress', [20_000 + aboveNs], 9_500, [20_000]),
            coreRow('redressInterceptor(), other options', 'redress', [99_000], 9_500, [20_000]),
          ],
        ],
      ])
    const cpu = (inProcess: Map<ClientFamily, CostRow[]>) =>
      judgeOverheadTargets(http, core(200, 300, 400), inProcess).find((v) => v.text.includes('client CPU'))
    const within = cpu(local(OVERHEAD_TARGETS.maxCpuUsAbovePassThrough * 1000))
    expect(within?.pass).toBe(true)
    expect(within?.text).toMatch(
      /3\.00 µs\/request above pass-through interceptor in-process.*40\.00 µs\/request above .* over loopback/,
    )
    expect(cpu(local(OVERHEAD_TARGETS.maxCpuUsAbovePassThrough * 1000 + 10))?.pass).toBe(false)
    // Without in-process rows, the loopback figure is the verdict.
    expect(cpu(new Map())?.pass).toBe(false)
  })

  it('misses a target whose row is absent or unmeasured', () => {
    const http = new Map<ClientFamily, HttpRow[]>([['fetch', [httpRow('fetch', 'raw', 1)]]])
    const verdicts = judgeOverheadTargets(http, [])
    expect(verdicts.every((v) => !v.pass)).toBe(true)
  })
})
