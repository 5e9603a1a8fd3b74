import type { EventName } from '../events/EventName.ts'
import type { CallOptions, EventTags, RetryOptions, RetryOutcome } from '../policy/RetryOptions.ts'
import { type Operation, RetryPolicy } from '../policy/RetryPolicy.ts'

/** One event seen by a `RecordingPolicy`. */
export interface RecordedEvent {
  readonly event: EventName
  readonly attempt: number
  readonly sleepMs: number
  readonly tags: EventTags
}

/** One run seen by a `RecordingPolicy`. */
export interface RecordedCall {
  /** The operation name, if any. */
  readonly operation: string | undefined
  /** The events of this run, in order. */
  readonly events: RecordedEvent[]
  /** The run's outcome, once it ended. */
  outcome: RetryOutcome<unknown> | undefined
}

/**
 * A real `RetryPolicy` that also records every run, its events and its outcome, for
 * assertions in your tests. Pair it with `FakeClock` (or `instantRetries`) so runs take
 * no real time.
 *
 * @example
 * const policy = new RecordingPolicy({ clock: new FakeClock(), strategy: instantRetries })
 * await service.load(policy)
 * expect(policy.calls[0]?.events.map((e) => e.event)).toEqual(['retry', 'success'])
 */
export class RecordingPolicy extends RetryPolicy {
  /** Every run started through `call` or `execute`, oldest first. */
  readonly calls: RecordedCall[] = []

  /** Every event of every run, in order. */
  get events(): RecordedEvent[] {
    return this.calls.flatMap((c) => c.events)
  }

  /** Forget what was recorded. */
  clear(): void {
    this.calls.length = 0
  }

  override with(overrides: RetryOptions): RecordingPolicy {
    return new RecordingPolicy({ ...this.options, ...overrides })
  }

  protected override async drive<T>(fn: Operation<T>, options: CallOptions | undefined): Promise<RetryOutcome<T>> {
    const record: RecordedCall = { operation: options?.operation, events: [], outcome: undefined }
    this.calls.push(record)
    const userMetric = options?.onMetric
    const result = await super.drive(fn, {
      ...options,
      onMetric: (event, attempt, sleepMs, tags) => {
        record.events.push({ event, attempt, sleepMs, tags })
        userMetric?.(event, attempt, sleepMs, tags)
      },
    })
    record.outcome = result
    return result
  }
}
