import type { AllocationResult } from './AllocationResult.ts'
import { pairedSummary } from './pairedSummary.ts'
import type { RoundCosts } from './RoundCosts.ts'
import { type RoundSummary, summarizeRounds } from './RoundSummary.ts'
import type { VariantKind } from './VariantKind.ts'

/** One variant's line in an in-process or core table: its cost per operation, and above a baseline variant. */
export interface CostRow {
  readonly variant: string
  readonly kind: VariantKind
  /** Wall-clock ns per operation. */
  readonly wallNs: RoundSummary
  /** CPU ns per operation. */
  readonly cpuNs: RoundSummary
  /** Wall-clock ns per operation minus the baseline's in the same round. */
  readonly wallNsAbove: RoundSummary
  /** CPU ns per operation minus the baseline's in the same round. */
  readonly cpuNsAbove: RoundSummary
  /** Bytes allocated per operation, over the allocation samples. */
  readonly bytes: RoundSummary
  /** Median bytes per operation minus the baseline's. */
  readonly bytesAbove: number
  /** The rounds this row was reduced from, for further pairings (such as a ratio to a peer). */
  readonly rounds: RoundCosts
}

/**
 * Reduces per-round costs and allocation samples to a row per variant, each compared with
 * the first variant of `baselineKind` (the pass-through for the fake transports, the bare
 * `await` for the core). Without such a variant the "above" fields are `NaN`.
 */
export function costRows(
  costs: readonly RoundCosts[],
  allocations: readonly AllocationResult[],
  baselineKind: VariantKind,
): CostRow[] {
  const base = costs.find((c) => c.kind === baselineKind)
  const bytesOf = (variant: string | undefined): RoundSummary =>
    summarizeRounds(allocations.find((a) => a.variant === variant)?.bytesPerOp ?? [])
  const baseBytes = bytesOf(base?.variant).median
  const minus = (v: number, b: number): number => v - b
  return costs.map((c) => ({
    variant: c.variant,
    kind: c.kind,
    wallNs: summarizeRounds(c.wallNsPerOp),
    cpuNs: summarizeRounds(c.cpuNsPerOp),
    wallNsAbove: pairedSummary(c.wallNsPerOp, base?.wallNsPerOp ?? [], minus),
    cpuNsAbove: pairedSummary(c.cpuNsPerOp, base?.cpuNsPerOp ?? [], minus),
    bytes: bytesOf(c.variant),
    bytesAbove: bytesOf(c.variant).median - baseBytes,
    rounds: c,
  }))
}
