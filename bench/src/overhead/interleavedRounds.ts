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

/** V8's collector, when the process runs with `--expose-gc` (`type: 'minor'` scavenges the young generation only). */
type Collect = (options: { type: 'minor' }) => void

/**
 * Times every variant once per round, `rounds` rounds of `ops` operations each, after one
 * untimed warm-up batch per variant. The order rotates every round, so drift in machine
 * load lands on every variant alike, and round `i` of one variant can be compared with
 * round `i` of another.
 *
 * When the process runs with `--expose-gc`, each batch is bracketed by a scavenge of the young
 * generation: one before it, untimed, so the batch starts with no garbage of the batch before;
 * one at its end, timed, so the batch pays for collecting its own garbage. Without the
 * brackets, the scavenges that happen to fall in a batch collect whatever the variant before
 * it left behind, which moves several µs per request from one variant to the next and widens
 * the spread of every paired difference.
 */
export async function interleavedRounds(
  variants: readonly TimedVariant[],
  rounds: number,
  ops: number,
): Promise<RoundCosts[]> {
  for (const v of variants) await v.batch(ops)
  const collect = (globalThis as { gc?: Collect }).gc
  const wall = variants.map((): number[] => [])
  const cpu = variants.map((): number[] => [])
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const i = (round + k) % variants.length
      const v = variants[i]
      if (v === undefined) continue
      collect?.({ type: 'minor' })
      const cost = await timeBatch(
        collect === undefined
          ? () => v.batch(ops)
          : async () => {
              await v.batch(ops)
              collect({ type: 'minor' })
            },
      )
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
