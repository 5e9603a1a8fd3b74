/**
 * A job-queue worker on the step API: the queue, not redress, owns the waiting.
 *
 * Each job carries its retry state (`run.state`, plain JSON). On a failure the worker
 * asks redress what to do and re-enqueues the job with the returned delay; the whole
 * queue is persisted as JSON after every change, so a restarted worker picks up each
 * job with its attempt count, per-class caps and deadline intact.
 *
 * Run: pnpm --filter @redress/examples exec node --conditions=@redress/source --import tsx queue-worker/index.ts
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  decorrelatedJitter,
  RateLimitError,
  RetryPolicy,
  type RunState,
  retryAfterOr,
  ServerError,
} from '@redress/core'

interface Job {
  id: string
  payload: string
  /** Retry state of this job, carried between attempts and processes. */
  state?: RunState
  /** Epoch ms before which the job must not run. */
  notBefore: number
}

/** A flaky downstream: job `a` fails twice with 503, `b` is rate limited once, `c` is fine, `d` always fails. */
const failuresLeft = new Map<string, number>([
  ['a', 2],
  ['b', 1],
  ['d', Infinity],
])
async function deliver(job: Job): Promise<string> {
  const left = failuresLeft.get(job.id) ?? 0
  if (left > 0) {
    failuresLeft.set(job.id, left - 1)
    if (job.id === 'b') throw new RateLimitError('429 from downstream', { retryAfterMs: 30 })
    throw new ServerError(`503 delivering ${job.id}`)
  }
  return `delivered ${job.payload}`
}

// One policy for all jobs. The step API reads Date.now(), so a deadline survives a restart.
const policy = new RetryPolicy({
  // The server's Retry-After wins when there is one; otherwise decorrelated jitter.
  strategy: retryAfterOr(decorrelatedJitter({ baseMs: 10, maxMs: 80 }), { jitterMs: 5 }),
  maxAttempts: 4,
  deadlineMs: 10_000,
  onMetric: (event, attempt, sleepMs, tags) =>
    console.log(
      `  [metric] ${event} job=${tags['operation']} attempt=${attempt}${sleepMs ? ` sleep=${Math.round(sleepMs)}ms` : ''}${tags['class'] ? ` class=${tags['class']}` : ''}`,
    ),
})

class Worker {
  readonly #file: string
  #jobs: Job[]
  #timer: ReturnType<typeof setTimeout> | undefined
  #stopped = false
  readonly done: string[] = []

  constructor(file: string) {
    this.#file = file
    this.#jobs = JSON.parse(readFileSync(file, 'utf8')) as Job[]
  }

  start(): void {
    this.#schedule()
  }

  stop(): void {
    this.#stopped = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
  }

  get pending(): number {
    return this.#jobs.length
  }

  #persist(): void {
    writeFileSync(this.#file, JSON.stringify(this.#jobs))
  }

  #schedule(): void {
    if (this.#stopped || this.#jobs.length === 0) return
    const next = Math.min(...this.#jobs.map((j) => j.notBefore))
    this.#timer = setTimeout(() => void this.#tick(), Math.max(0, next - Date.now()))
  }

  async #tick(): Promise<void> {
    const now = Date.now()
    const job = this.#jobs.find((j) => j.notBefore <= now)
    if (job === undefined) return this.#schedule()
    this.#jobs = this.#jobs.filter((j) => j !== job)
    const run = job.state ? policy.resume(job.state) : policy.start({ operation: job.id })
    try {
      const result = await deliver(job)
      run.recordSuccess(result)
      this.done.push(`${job.id}: ${result} after ${run.state.attempts} attempt(s)`)
    } catch (error) {
      const decision = run.recordFailure(error)
      if (decision.retry) {
        this.#jobs.push({ ...job, state: run.state, notBefore: Date.now() + decision.delayMs })
      } else {
        this.done.push(`${job.id}: gave up (${decision.stopReason}) after ${run.state.attempts} attempt(s)`)
      }
    }
    this.#persist()
    this.#schedule()
  }
}

const dir = mkdtempSync(join(tmpdir(), 'redress-queue-'))
const file = join(dir, 'queue.json')
try {
  const jobs: Job[] = ['a', 'b', 'c', 'd'].map((id) => ({ id, payload: `order-${id}`, notBefore: Date.now() }))
  writeFileSync(file, JSON.stringify(jobs))

  console.log('worker 1 starts')
  const first = new Worker(file)
  first.start()
  // Let it run until two jobs have ended, then "crash" it with retries still queued.
  for (let i = 0; i < 500 && first.done.length < 2; i++) await new Promise((resolve) => setTimeout(resolve, 2))
  first.stop()
  console.log(
    `worker 1 stops with ${first.pending} job(s) queued:`,
    readFileSync(file, 'utf8').length,
    'bytes of JSON state',
  )
  for (const line of first.done) console.log(`  ${line}`)

  console.log('worker 2 restarts from the persisted queue')
  const second = new Worker(file)
  second.start()
  for (let i = 0; i < 200 && second.pending > 0; i++) await new Promise((resolve) => setTimeout(resolve, 10))
  second.stop()
  for (const line of second.done) console.log(`  ${line}`)

  const all = [...first.done, ...second.done].sort()
  const expected = ['a', 'b', 'c', 'd']
  if (
    all.length !== 4 ||
    !all.every((line, i) => line.startsWith(`${expected[i]}:`)) ||
    !all[3]?.includes('MAX_ATTEMPTS_GLOBAL')
  ) {
    console.error('unexpected outcome:', all)
    process.exitCode = 1
  } else {
    console.log('all four jobs ended: a, b and c delivered; d gave up after 4 attempts across the restart')
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
