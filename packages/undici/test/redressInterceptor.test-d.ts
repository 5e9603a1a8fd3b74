import type { ResumableRequestOptions } from '@redress/core/http'
import type { Dispatcher } from 'undici'
import { describe, expectTypeOf, it } from 'vitest'
import type { RedressInterceptorOptions } from '../src/index.ts'
import { redressInterceptor } from '../src/index.ts'

describe('redressInterceptor types', () => {
  it('is an undici compose interceptor', () => {
    expectTypeOf(redressInterceptor()).toEqualTypeOf<Dispatcher.DispatcherComposeInterceptor>()
    expectTypeOf(redressInterceptor).parameter(0).toEqualTypeOf<RedressInterceptorOptions | undefined>()
  })

  it('adds redress to the dispatch and request options', () => {
    expectTypeOf<Dispatcher.DispatchOptions['redress']>().toEqualTypeOf<ResumableRequestOptions | undefined>()
    expectTypeOf<{ path: '/'; method: 'GET'; redress: { retry: false } }>().toMatchTypeOf<Dispatcher.RequestOptions>()
    expectTypeOf<{ path: '/'; method: 'GET'; redress: { resume: false } }>().toMatchTypeOf<Dispatcher.RequestOptions>()
    // @ts-expect-error retry is a boolean
    const bad: Dispatcher.DispatchOptions = { path: '/', method: 'GET', redress: { retry: 'no' } }
    expectTypeOf(bad).not.toBeAny()
  })

  it('takes the shared adapter options and resume', () => {
    // @ts-expect-error unknown option
    redressInterceptor({ retries: 3 })
    expectTypeOf<RedressInterceptorOptions['maxRetryAfterMs']>().toEqualTypeOf<number | undefined>()
    expectTypeOf<RedressInterceptorOptions['resume']>().toEqualTypeOf<boolean | undefined>()
  })
})
