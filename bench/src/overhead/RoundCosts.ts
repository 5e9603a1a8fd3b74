import type { VariantKind } from './VariantKind.ts'

/** What one operation (a request, a call) of one variant cost, round by round. */
export interface RoundCosts {
  /** The variant's name. */
  readonly variant: string
  /** Its role in the comparison. */
  readonly kind: VariantKind
  /** Wall-clock nanoseconds per operation; entry `i` is round `i`. */
  readonly wallNsPerOp: readonly number[]
  /** CPU nanoseconds per operation (user + system, all threads of the process); entry `i` is round `i`. */
  readonly cpuNsPerOp: readonly number[]
}
