import { positiveEnv } from '../positiveEnv.ts'
import { resolveNodeBinary } from './resolveNodeBinary.ts'

/** The sizes of one `pnpm bench` run, each read from an environment variable. */
export interface BenchConfig {
  /**
   * Interleaved rounds of every measurement that has rounds (`BENCH_ROUNDS`).
   * @default 30
   */
  readonly rounds: number
  /**
   * HTTP requests per variant per round (`BENCH_REQUESTS`).
   * @default 1000
   */
  readonly requests: number
  /**
   * HTTP requests in flight per client (`BENCH_CONCURRENCY`).
   * @default 8
   */
  readonly concurrency: number
  /**
   * Requests per variant per round against the fake transports (`BENCH_INPROCESS_REQUESTS`).
   * @default 2000
   */
  readonly inProcessRequests: number
  /**
   * Requests per allocation sample, over HTTP and against the fake transports (`BENCH_ALLOC_REQUESTS`).
   * @default 500
   */
  readonly allocRequests: number
  /**
   * Allocation samples kept per variant, over HTTP, in-process and in the core (`BENCH_ALLOC_SAMPLES`).
   * @default 5
   */
  readonly allocSamples: number
  /**
   * `policy.call`s per variant per round on the success path (`BENCH_CORE_CALLS`).
   * @default 50000
   */
  readonly coreCalls: number
  /**
   * Calls per variant per round on the fails-once path, each of which waits out a backoff timer (`BENCH_CORE_FAIL_CALLS`).
   * @default 200
   */
  readonly coreFailCalls: number
  /**
   * Samples per adapter in the timing-accuracy section (`BENCH_TIMING_SAMPLES`).
   * @default 20
   */
  readonly timingSamples: number
  /**
   * The `node` that runs the measuring child processes (`BENCH_NODE`: a binary, or a
   * directory searched for `bin/node`, relative to the working directory); `undefined`
   * for the `node` running the orchestrator. The server always runs on the latter.
   * @default undefined
   */
  readonly node: string | undefined
}

/** The default of every numeric {@link BenchConfig} field. */
export const BENCH_DEFAULTS = {
  rounds: 30,
  requests: 1000,
  concurrency: 8,
  inProcessRequests: 2000,
  allocRequests: 500,
  allocSamples: 5,
  coreCalls: 50_000,
  coreFailCalls: 200,
  timingSamples: 20,
} as const satisfies Omit<BenchConfig, 'node'>

/** Each numeric {@link BenchConfig} field's environment variable. */
export const BENCH_ENV = {
  rounds: 'BENCH_ROUNDS',
  requests: 'BENCH_REQUESTS',
  concurrency: 'BENCH_CONCURRENCY',
  inProcessRequests: 'BENCH_INPROCESS_REQUESTS',
  allocRequests: 'BENCH_ALLOC_REQUESTS',
  allocSamples: 'BENCH_ALLOC_SAMPLES',
  coreCalls: 'BENCH_CORE_CALLS',
  coreFailCalls: 'BENCH_CORE_FAIL_CALLS',
  timingSamples: 'BENCH_TIMING_SAMPLES',
} as const satisfies Record<keyof typeof BENCH_DEFAULTS, `BENCH_${string}`>

/**
 * Reads the run's sizes from `env`, each a positive integer or absent (then its default),
 * and resolves `BENCH_NODE` against `cwd`. A bad value is a `RangeError` naming the variable.
 *
 * @example
 * readBenchConfig({ BENCH_ROUNDS: '3', BENCH_REQUESTS: '300' }, process.cwd()).rounds // 3
 */
export function readBenchConfig(env: Readonly<Record<string, string | undefined>>, cwd: string): BenchConfig {
  const read = (key: keyof typeof BENCH_DEFAULTS): number => positiveEnv(BENCH_ENV[key], BENCH_DEFAULTS[key], env)
  return {
    rounds: read('rounds'),
    requests: read('requests'),
    concurrency: read('concurrency'),
    inProcessRequests: read('inProcessRequests'),
    allocRequests: read('allocRequests'),
    allocSamples: read('allocSamples'),
    coreCalls: read('coreCalls'),
    coreFailCalls: read('coreFailCalls'),
    timingSamples: read('timingSamples'),
    node: resolveNodeBinary(env['BENCH_NODE'], cwd),
  }
}
