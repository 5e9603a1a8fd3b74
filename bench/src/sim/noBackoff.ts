import type { Strategy } from '@redress/core'

/** The "no backoff" baseline: retry at once. */
export const noBackoff: Strategy = (): number => 0
