import { describe, expect, it } from 'vitest'
import { ensureRedisServer, findRedisServer, REDIS_SETUP_MS } from './support/redisServer.ts'

// The tests of this package need a real redis-server, and get one themselves (issue 17: "fail
// with a clear message — never silently skip — if it cannot").
describe('the redis-server the tests use', () => {
  it('fails, naming REDIS_SERVER, when it points at no binary, instead of installing or skipping', () => {
    const before = process.env['REDIS_SERVER']
    process.env['REDIS_SERVER'] = '/nonexistent/redis-server'
    try {
      expect(findRedisServer()).toBeUndefined()
      expect(() => ensureRedisServer()).toThrow(
        /REDIS_SERVER is "\/nonexistent\/redis-server", which is not an executable/,
      )
    } finally {
      if (before === undefined) delete process.env['REDIS_SERVER']
      else process.env['REDIS_SERVER'] = before
    }
  })

  it(
    'is found, or installed when run as root, and then found again without installing',
    () => {
      const binary = ensureRedisServer()
      expect(binary).toMatch(/redis-server$/)
      expect(findRedisServer()).toBe(binary)
    },
    REDIS_SETUP_MS,
  )
})
