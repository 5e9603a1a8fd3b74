/**
 * The backoff sleep goes through the guard (`isolateAsync`, issue 13): a `sleeper` that fails for
 * another reason than the abort — a synchronous throw or a rejection — is ignored, and the retry
 * goes on without waiting (the row of the fallback table in `guard/isolate.ts`).
 */
import { describe, expect, it } from 'vitest'
import { isolateAsync } from '../src/guard/isolate.ts'
import { RetryPolicy, ServerError, type Sleeper } from '../src/index.ts'

async function failOnceUnder(sleeper: Sleeper): Promise<{ value: string; attempts: number; slept: number[] }> {
  const slept: number[] = []
  let attempts = 0
  const policy = new RetryPolicy({
    strategy: () => 250,
    sleeper: (ms, signal) => {
      slept.push(ms)
      return sleeper(ms, signal)
    },
  })
  const value = await policy.call(async () => {
    if (++attempts === 1) throw new ServerError('once')
    return 'ok'
  })
  return { value, attempts, slept }
}

describe('a sleeper that fails', () => {
  it.each<[string, Sleeper]>([
    [
      'throws',
      () => {
        throw new Error('broken sleeper')
      },
    ],
    ['rejects', () => Promise.reject(new Error('broken sleeper'))],
  ])('%s: the retry goes on without waiting', async (_, sleeper) => {
    expect(await failOnceUnder(sleeper)).toEqual({ value: 'ok', attempts: 2, slept: [250] })
  })
})

describe('isolateAsync', () => {
  it('passes user code exactly the arguments it was given, and returns the fallback on a throw', async () => {
    const seen: unknown[][] = []
    const record = (...args: unknown[]): string => {
      seen.push(args)
      return 'ran'
    }
    expect(await isolateAsync('fallback', record, undefined, 1)).toBe('ran')
    expect(await isolateAsync('fallback', record, undefined, 1, 2, 3)).toBe('ran')
    expect(seen).toEqual([[1], [1, 2, 3]])
    const throwing = (_a: number, _b: number, _c: number): string => {
      throw new Error('x')
    }
    expect(await isolateAsync('fallback', throwing, undefined, 1, 2, 3)).toBe('fallback')
  })
})
