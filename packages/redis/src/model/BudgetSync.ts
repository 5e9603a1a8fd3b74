/** One sync of a fleet budget: the batch a process sends. Token amounts are in thousandths. */
export interface BudgetSyncRequest {
  /** The bucket's capacity, in thousandths of a token. */
  readonly maxMilli: number
  /** The net change since the last sync, in thousandths of a token, within [-maxMilli, maxMilli]. */
  readonly deltaMilli: number
}

/** What the store answers to a {@link BudgetSyncRequest}. */
export interface BudgetSyncReply {
  /** The fleet bucket after the batch, in thousandths of a token, within [0, maxMilli]. */
  readonly tokensMilli: number
}
