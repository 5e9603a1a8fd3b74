import type { ResumableRequestOptions } from '@redress/core/http'
import axios, { type AxiosRequestConfig } from 'axios'
import { describe, expectTypeOf, it } from 'vitest'
import { installRedress } from '../src/index.ts'

describe('installRedress types', () => {
  it('adds a typed redress option to axios’s request config', () => {
    expectTypeOf<AxiosRequestConfig['redress']>().toEqualTypeOf<ResumableRequestOptions | undefined>()
    void axios.get('/x', { redress: { retry: false, operation: 'x', retryNonIdempotent: true, resume: false } })
    // @ts-expect-error resume is a boolean
    void axios.get('/x', { redress: { resume: 'no' } })
    // @ts-expect-error retry is a boolean
    void axios.get('/x', { redress: { retry: 'no' } })
    // @ts-expect-error unknown per-request option
    void axios.get('/x', { redress: { retries: 3 } })
  })

  it('returns an eject function and defaults the instance', () => {
    expectTypeOf(installRedress).returns.toEqualTypeOf<() => void>()
    expectTypeOf(installRedress).parameter(0).toEqualTypeOf<import('axios').AxiosInstance | undefined>()
  })
})
