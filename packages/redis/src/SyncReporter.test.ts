import { describe, expect, it } from 'vitest'
import type { RedisSyncEvent } from './RedisSyncLog.ts'
import { SyncReporter } from './SyncReporter.ts'

describe('SyncReporter', () => {
  it('says once that Redis is unavailable and once that it is back, for every key that shares it', () => {
    const seen: RedisSyncEvent[] = []
    const reporter = new SyncReporter((event) => seen.push(event))
    reporter.unavailable('a', new Error('ECONNREFUSED'))
    reporter.unavailable('b', new Error('ECONNREFUSED'))
    reporter.restored('a')
    expect(seen).toEqual(['redis_unavailable'])
    reporter.restored('b')
    expect(seen).toEqual(['redis_unavailable', 'redis_restored'])
  })

  it('goes on reporting when the onLog hook throws', () => {
    let calls = 0
    const reporter = new SyncReporter(() => {
      calls++
      throw new Error('broken log hook')
    })
    expect(() => reporter.unavailable('a', new Error('down'))).not.toThrow()
    expect(() => reporter.restored('a')).not.toThrow()
    expect(calls).toBe(2)
  })

  it('leaves no unhandled rejection when an async onLog hook rejects', async () => {
    const unhandled: unknown[] = []
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason)
    }
    process.on('unhandledRejection', onUnhandled)
    try {
      const reporter = new SyncReporter((() => Promise.reject(new Error('async log hook'))) as never)
      reporter.unavailable('a', new Error('down'))
      // An unhandled rejection is reported after the microtask queue drains, before the next macrotask.
      await new Promise((resolve) => setImmediate(resolve))
      expect(unhandled).toEqual([])
    } finally {
      process.off('unhandledRejection', onUnhandled)
    }
  })
})
