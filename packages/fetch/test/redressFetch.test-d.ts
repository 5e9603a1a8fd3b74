import type { ResumableRequestOptions } from '@redress/core/http'
import { describe, expectTypeOf, it } from 'vitest'
import type { RedressFetchOptions } from '../src/RedressFetchOptions.ts'
import { redressFetch } from '../src/redressFetch.ts'

describe('redressFetch types', () => {
  it('returns exactly the type of fetch', () => {
    expectTypeOf(redressFetch()).toEqualTypeOf<typeof fetch>()
    expectTypeOf(redressFetch).parameter(0).toEqualTypeOf<RedressFetchOptions | undefined>()
  })

  it('can be installed as the global fetch', () => {
    globalThis.fetch = redressFetch({ fetch: globalThis.fetch })
  })

  it('types init.redress on every RequestInit', () => {
    expectTypeOf<RequestInit['redress']>().toEqualTypeOf<ResumableRequestOptions | undefined>()
    void redressFetch()('https://example.test', { redress: { retry: false, operation: 'x', resume: false } })
    // @ts-expect-error resume is a boolean
    void redressFetch()('https://example.test', { redress: { resume: 'no' } })
    // @ts-expect-error retry is a boolean
    void redressFetch()('https://example.test', { redress: { retry: 'no' } })
  })

  it('takes the shared adapter options plus fetch and maxBufferedBodyBytes', () => {
    expectTypeOf<RedressFetchOptions>().toHaveProperty('fetch')
    expectTypeOf<RedressFetchOptions>().toHaveProperty('maxBufferedBodyBytes')
    expectTypeOf<RedressFetchOptions>().toHaveProperty('policy')
    expectTypeOf<RedressFetchOptions>().toHaveProperty('operation')
    expectTypeOf<RedressFetchOptions['resume']>().toEqualTypeOf<boolean | undefined>()
    // @ts-expect-error unknown options are rejected
    redressFetch({ retries: 3 })
  })
})
