import type { AllocationResult } from './AllocationResult.ts'
import type { HttpRoundResult } from './HttpRoundResult.ts'
import { pairedSummary } from './pairedSummary.ts'
import { type RoundSummary, summarizeRounds } from './RoundSummary.ts'
import type { VariantKind } from './VariantKind.ts'

/** One variant's line in a client family's table, reduced from its rounds. */
export interface HttpRow {
  readonly variant: string
  readonly kind: VariantKind
  /** Requests per second. */
  readonly rps: RoundSummary
  /** Throughput ÷ the raw client's in the same round. */
  readonly throughput: RoundSummary
  /** Median latency ÷ the raw client's in the same round. */
  readonly p50: RoundSummary
  /** 99th-percentile latency ÷ the raw client's in the same round. */
  readonly p99: RoundSummary
  /** Median over rounds of the round's median latency, in ms. */
  readonly p50Ms: number
  /** Median over rounds of the round's 99th-percentile latency, in ms. */
  readonly p99Ms: number
  /** Client CPU per request, in µs. */
  readonly cpuUs: RoundSummary
  /** Client CPU per request minus the pass-through row's in the same round, in µs (`NaN`s without a pass-through row). */
  readonly cpuUsAbovePassThrough: RoundSummary
  /** Bytes allocated per request, over the allocation samples. */
  readonly bytes: RoundSummary
  /** Median bytes per request minus the pass-through row's (`NaN` without one). */
  readonly bytesAbovePassThrough: number
}

/** Reduces one client family's rounds (and its allocation samples) to a row per variant, in first-seen order. */
export function httpRows(rounds: readonly HttpRoundResult[], allocations: readonly AllocationResult[]): HttpRow[] {
  const names = [...new Set(rounds.map((r) => r.variant))]
  const roundCount = Math.max(0, ...rounds.map((r) => r.round + 1))
  const series = (variant: string | undefined, pick: (r: HttpRoundResult) => number): number[] => {
    const out = new Array<number>(roundCount).fill(Number.NaN)
    for (const r of rounds) if (r.variant === variant) out[r.round] = pick(r)
    return out
  }
  const nameOf = (kind: VariantKind): string | undefined => rounds.find((r) => r.kind === kind)?.variant
  const raw = nameOf('raw')
  const passThrough = nameOf('passthrough')
  const bytesOf = (variant: string | undefined): RoundSummary =>
    summarizeRounds(allocations.find((a) => a.variant === variant)?.bytesPerOp ?? [])
  const ratio = (v: number, b: number): number => v / b
  const cpuUs = (r: HttpRoundResult): number => r.cpuNsPerRequest / 1000
  return names.map((variant) => {
    const mine = (pick: (r: HttpRoundResult) => number): number[] => series(variant, pick)
    return {
      variant,
      kind: rounds.find((r) => r.variant === variant)?.kind ?? 'peer',
      rps: summarizeRounds(mine((r) => r.requestsPerSecond)),
      throughput: pairedSummary(
        mine((r) => r.requestsPerSecond),
        series(raw, (r) => r.requestsPerSecond),
        ratio,
      ),
      p50: pairedSummary(
        mine((r) => r.p50Ms),
        series(raw, (r) => r.p50Ms),
        ratio,
      ),
      p99: pairedSummary(
        mine((r) => r.p99Ms),
        series(raw, (r) => r.p99Ms),
        ratio,
      ),
      p50Ms: summarizeRounds(mine((r) => r.p50Ms)).median,
      p99Ms: summarizeRounds(mine((r) => r.p99Ms)).median,
      cpuUs: summarizeRounds(mine(cpuUs)),
      cpuUsAbovePassThrough: pairedSummary(mine(cpuUs), series(passThrough, cpuUs), (v, b) => v - b),
      bytes: bytesOf(variant),
      bytesAbovePassThrough: bytesOf(variant).median - bytesOf(passThrough).median,
    }
  })
}
