import type { RoundCosts } from './RoundCosts.ts'
import { timeBatch } from './timeBatch.ts'
import type { VariantKind } from './VariantKind.ts'

/** A variant whose batch of operations {@link interleavedRounds} times. */
export interface TimedVariant {
  readonly name: string
  readonly kind: VariantKind
  /** Performs `ops` operations, one after another. */
  readonly batch: (ops: number) => Promise<unknown>
}

/**
 * Times every variant once per round, `rounds` rounds of `ops` operations each, after one
 * untimed warm-up batch per variant. The order rotates every round, so drift in machine
 * load lands on every variant alike, and round `i` of one variant can be compared with
 * round `i` of another.
 */
export async function interleavedRounds(
  variants: readonly TimedVariant[],
  rounds: number,
  ops: number,
): Promise<RoundCosts[]> {
  for (const v of variants) await v.batch(ops)
  const wall = variants.map((): number[] => [])
  const cpu = variants.map((): number[] => [])
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (round + k) % variants.length
      const v = variants[i]
      if (v === undefined) continue
      const cost = await timeBatch(() => v.batch(ops))
      wall[i]?.push(cost.wallNs / ops)
      cpu[i]?.push(cost.cpuNs / ops)
    }
  }
  return variants.map((v, i) => ({
    variant: v.name,
    kind: v.kind,
    wallNsPerOp: wall[i] ?? [],
    cpuNsPerOp: cpu[i] ?? [],
  }))
}
