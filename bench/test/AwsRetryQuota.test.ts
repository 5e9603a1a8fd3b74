import { describe, expect, it } from 'vitest'
import { AwsRetryQuota } from '../src/sim/AwsRetryQuota.ts'

describe('AwsRetryQuota', () => {
  it('takes 5 tokens per retry and 10 after a TRANSIENT failure', () => {
    const quota = new AwsRetryQuota()
    const call = quota.forCall()
    call.recordFailure('SERVER_ERROR')
    expect(call.tryAcquire()).toBe(true)
    expect(quota.available).toBe(495)
    call.recordFailure('TRANSIENT')
    expect(call.tryAcquire()).toBe(true)
    expect(quota.available).toBe(485)
  })

  it('refuses a retry when the pool holds less than its cost, and takes nothing then', () => {
    const quota = new AwsRetryQuota({ capacity: 12 })
    const call = quota.forCall()
    call.recordFailure('TRANSIENT')
    expect(call.tryAcquire()).toBe(true)
    expect(call.tryAcquire()).toBe(false)
    expect(quota.available).toBe(2)
  })

  it('refunds what the last retry took when the call succeeds, and adds 1 for a first-try success, up to capacity', () => {
    const quota = new AwsRetryQuota()
    const retried = quota.forCall()
    retried.recordFailure('SERVER_ERROR')
    retried.tryAcquire()
    retried.recordFailure('TRANSIENT')
    retried.tryAcquire()
    expect(quota.available).toBe(485)
    retried.recordSuccess()
    expect(quota.available).toBe(495)
    quota.forCall().recordSuccess()
    expect(quota.available).toBe(496)
    for (let i = 0; i < 10; i++) quota.forCall().recordSuccess()
    expect(quota.available).toBe(500)
  })

  it('drains in a total outage: 50 failing calls of 3 attempts exhaust the default pool', () => {
    const quota = new AwsRetryQuota()
    let granted = 0
    for (let c = 0; c < 60; c++) {
      const call = quota.forCall()
      for (let attempt = 1; attempt < 3; attempt++) {
        call.recordFailure('SERVER_ERROR')
        if (!call.tryAcquire()) break
        granted++
      }
    }
    expect(granted).toBe(100)
    expect(quota.available).toBe(0)
  })

  it('rejects a negative or non-finite option, naming it', () => {
    expect(() => new AwsRetryQuota({ retryCost: -1 })).toThrow(/retryCost/)
    expect(() => new AwsRetryQuota({ capacity: Number.POSITIVE_INFINITY })).toThrow(/capacity/)
  })
})
