import { decorrelatedJitter, equalJitter, fullJitter, type Strategy, tokenBackoff } from '@redress/core'
import { runContention } from './contention.ts'
import { deriveSeed } from './deriveSeed.ts'
import { exponentialNoJitter } from './exponentialNoJitter.ts'
import { noBackoff } from './noBackoff.ts'

/** The parameters of the AWS experiment. */
export const CONTENTION_SETUP: {
  readonly baseMs: 5
  readonly maxMs: 2000
  readonly runsPerPoint: 100
  readonly clientCounts: readonly number[]
} = Object.freeze({
  baseMs: 5,
  maxMs: 2000,
  runsPerPoint: 100,
  clientCounts: Object.freeze([10, 30, 50, 70, 90, 110, 130, 150, 170, 190]),
} as const)

/** The backoffs compared, each built with base 5 ms and cap 2 s. */
export const CONTENTION_STRATEGIES: readonly { readonly name: string; readonly strategy: Strategy }[] = Object.freeze([
  { name: 'no backoff', strategy: noBackoff },
  { name: 'exponential, no jitter', strategy: exponentialNoJitter(CONTENTION_SETUP.baseMs, CONTENTION_SETUP.maxMs) },
  { name: 'fullJitter', strategy: fullJitter({ baseMs: CONTENTION_SETUP.baseMs, maxMs: CONTENTION_SETUP.maxMs }) },
  { name: 'equalJitter', strategy: equalJitter({ baseMs: CONTENTION_SETUP.baseMs, maxMs: CONTENTION_SETUP.maxMs }) },
  {
    name: 'decorrelatedJitter',
    strategy: decorrelatedJitter({ baseMs: CONTENTION_SETUP.baseMs, maxMs: CONTENTION_SETUP.maxMs }),
  },
  { name: 'tokenBackoff', strategy: tokenBackoff({ baseMs: CONTENTION_SETUP.baseMs, maxMs: CONTENTION_SETUP.maxMs }) },
])

/** The mean over the runs of one point. */
export interface ContentionPoint {
  readonly strategy: string
  readonly clients: number
  /** Mean attempts (read + conditional write) per run, all clients together. */
  readonly meanAttempts: number
  /** Mean time until the last client has written, in ms. */
  readonly meanCompletionMs: number
}

/** Runs every strategy at every client count, `runsPerPoint` times each. */
export function runContentionExperiment(seed: number, progress: (line: string) => void): ContentionPoint[] {
  const { clientCounts, runsPerPoint } = CONTENTION_SETUP
  const points: ContentionPoint[] = []
  for (const { name, strategy } of CONTENTION_STRATEGIES) {
    const started = performance.now()
    for (const clients of clientCounts) {
      let attempts = 0
      let completionMs = 0
      for (let run = 0; run < runsPerPoint; run++) {
        // The same seed for every strategy: each run sees the same network draws first.
        const r = runContention({ clients, strategy, seed: deriveSeed(seed, 'contention', clients, run) })
        attempts += r.attempts
        completionMs += r.completionMs
      }
      points.push({
        strategy: name,
        clients,
        meanAttempts: attempts / runsPerPoint,
        meanCompletionMs: completionMs / runsPerPoint,
      })
    }
    progress(`  contention: ${name} (${((performance.now() - started) / 1000).toFixed(1)} s)`)
  }
  return points
}
