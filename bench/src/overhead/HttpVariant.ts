import type { VariantKind } from './VariantKind.ts'

/** One way of sending `GET /ok`: the raw client, a do-nothing layer on it, redress on it, or a peer. */
export interface HttpVariant {
  /** Shown in the report. */
  readonly name: string
  /** Its role in the comparison (see {@link VariantKind}). */
  readonly kind: VariantKind
  /** Sends one request and reads the whole body. */
  readonly send: () => Promise<void>
}
