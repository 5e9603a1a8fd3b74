import type { Cluster, Redis } from 'ioredis'
import type { createClient, createCluster } from 'redis'
import { expectTypeOf, test } from 'vitest'
import type { RedisClientLike, RedisRetryBudgetOptions } from '../src/index.ts'

// The structural interface takes both clients as users create them, with no cast.
test('an ioredis client and cluster are RedisClientLike', () => {
  expectTypeOf<Redis>().toExtend<RedisClientLike>()
  expectTypeOf<Cluster>().toExtend<RedisClientLike>()
  expectTypeOf<{ client: Redis; key: string }>().toExtend<RedisRetryBudgetOptions>()
})

test('a node-redis client and cluster are RedisClientLike', () => {
  expectTypeOf<ReturnType<typeof createClient>>().toExtend<RedisClientLike>()
  expectTypeOf<ReturnType<typeof createCluster>>().toExtend<RedisClientLike>()
})

test('something else is not', () => {
  expectTypeOf<{ get(key: string): Promise<string> }>().not.toExtend<RedisClientLike>()
})
