import { ConcurrencyError, RetryPolicy, type StepRun, type Strategy } from '@redress/core'
import { seededRandom } from '@redress/core/testing'
import { deriveSeed } from './deriveSeed.ts'
import { EventQueue } from './EventQueue.ts'
import { normalSampler } from './normalSampler.ts'

/** One run of the contention experiment. */
export interface ContentionConfig {
  /** How many clients contend for the row; all start at time 0. */
  readonly clients: number
  /** The backoff between a lost write and the next read. */
  readonly strategy: Strategy
  /** Seed of this run: the network and the policy's jitter get their own streams from it. */
  readonly seed: number
  /** Mean one-way network delay, in ms. @default 10 */
  readonly networkMeanMs?: number | undefined
  /** Standard deviation of the one-way network delay, in ms. @default 2 */
  readonly networkSdMs?: number | undefined
}

/** What one contention run measured. */
export interface ContentionResult {
  /** Attempts made by all clients together; an attempt is a read plus a conditional write. */
  readonly attempts: number
  /** Virtual time at which the last client's write succeeded, in ms. */
  readonly completionMs: number
}

type ContentionEvent =
  | { readonly kind: 'read'; readonly client: number }
  | { readonly kind: 'write'; readonly client: number }
  | { readonly kind: 'reply'; readonly client: number; readonly ok: boolean }

/** One shared error object: the classifier only reads its class, and stacks cost time. */
const CONFLICT = new ConcurrencyError('conditional write lost: the row changed since it was read')

/**
 * The AWS "Exponential Backoff And Jitter" experiment on a virtual clock: `clients`
 * clients each read one row's version and then write it back on condition that the
 * version is unchanged (optimistic concurrency). A write that finds a newer version
 * fails; the client's real `RetryPolicy` (step API) decides the backoff before its next
 * read. Every message takes normal(10 ms, 2 ms) one way; the database answers at once.
 */
export function runContention(config: ContentionConfig): ContentionResult {
  const { clients, strategy, seed } = config
  const delay = normalSampler(
    seededRandom(deriveSeed(seed, 'network')),
    config.networkMeanMs ?? 10,
    config.networkSdMs ?? 2,
  )
  let nowMs = 0
  const policy = new RetryPolicy({
    clock: { now: (): number => nowMs },
    random: seededRandom(deriveSeed(seed, 'policy')),
    strategy,
    // The experiment runs until every client has written: no cap, no deadline.
    maxAttempts: Infinity,
    deadlineMs: Infinity,
  })
  const queue = new EventQueue<ContentionEvent>()
  const runs: StepRun[] = []
  const readVersion = new Float64Array(clients)
  let version = 0
  let attempts = 0
  let done = 0
  let completionMs = 0

  for (let c = 0; c < clients; c++) {
    runs.push(policy.start({ operation: 'conditionalWrite' }))
    queue.push(delay(), { kind: 'read', client: c })
  }
  for (let e = queue.pop(); e !== undefined; e = queue.pop()) {
    nowMs = e.timeMs
    const ev = e.payload
    switch (ev.kind) {
      case 'read':
        attempts++
        readVersion[ev.client] = version
        // The reply travels back and the client sends its write straight away.
        queue.push(nowMs + delay() + delay(), { kind: 'write', client: ev.client })
        break
      case 'write': {
        const ok = readVersion[ev.client] === version
        if (ok) version++
        queue.push(nowMs + delay(), { kind: 'reply', client: ev.client, ok })
        break
      }
      case 'reply': {
        const run = runs[ev.client] as StepRun
        if (ev.ok) {
          run.recordSuccess()
          done++
          completionMs = nowMs
          break
        }
        const d = run.recordFailure(CONFLICT)
        if (!d.retry) throw new Error(`contention: a client stopped retrying (${String(d.stopReason)})`)
        queue.push(nowMs + d.delayMs + delay(), { kind: 'read', client: ev.client })
        break
      }
    }
  }
  if (done !== clients) throw new Error(`contention: ${clients - done} clients never wrote`)
  return { attempts, completionMs }
}
