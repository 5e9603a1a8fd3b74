import type { VariantKind } from './VariantKind.ts'

/** Bytes allocated per operation (a request, a call) by one variant (see `AllocationMeter`). */
export interface AllocationResult {
  /** The variant's name. */
  readonly variant: string
  /** Its role in the comparison. */
  readonly kind: VariantKind
  /** Bytes allocated on the V8 heap per operation, one entry per batch with no garbage collection inside it. */
  readonly bytesPerOp: readonly number[]
}
