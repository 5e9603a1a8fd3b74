import { type Retried, type RetryDecorator, retry } from '@redress/core'
import { describe, expectTypeOf, it } from 'vitest'

interface User {
  readonly id: string
}
declare function loadUser(id: string, fresh?: boolean): Promise<User>
declare function parse(text: string): number

describe('retry() types', () => {
  it('keeps the parameters of the wrapped function and makes its result a promise, never a nested one', () => {
    const load = retry(loadUser)
    expectTypeOf(load).toEqualTypeOf<Retried<typeof loadUser>>()
    expectTypeOf(load).parameters.toEqualTypeOf<[id: string, fresh?: boolean]>()
    expectTypeOf(load).returns.toEqualTypeOf<Promise<User>>()
    expectTypeOf(retry(parse)).toEqualTypeOf<(text: string) => Promise<number>>()
    // @ts-expect-error the id is a string
    void load(1)
  })

  it('returns a decorator from options, or from nothing, which wraps like retry(fn)', () => {
    expectTypeOf(retry()).toEqualTypeOf<RetryDecorator>()
    const decorate = retry({ maxAttempts: 3, deadlineMs: 1_000 })
    expectTypeOf(decorate).toEqualTypeOf<RetryDecorator>()
    expectTypeOf(decorate(loadUser)).toEqualTypeOf<Retried<typeof loadUser>>()
  })

  it('takes only a function or RetryOptions', () => {
    // @ts-expect-error a number is neither
    retry(3)
    // @ts-expect-error an unknown option is rejected (the spelling is maxAttempts)
    retry({ maxAtempts: 3 })
    // @ts-expect-error maxAttempts is a number
    retry({ maxAttempts: '3' })
    // @ts-expect-error what a decorator wraps is a function
    retry()('not a function')
  })
})

describe('Retried<F>', () => {
  it('is F with the same parameters, returning a promise of its awaited result', () => {
    expectTypeOf<Retried<(a: number, b: string) => boolean>>().toEqualTypeOf<
      (a: number, b: string) => Promise<boolean>
    >()
    expectTypeOf<Retried<() => Promise<void>>>().toEqualTypeOf<() => Promise<void>>()
    expectTypeOf<Retried<(...rest: string[]) => Promise<Promise<number>>>>().toEqualTypeOf<
      (...rest: string[]) => Promise<number>
    >()
  })

  it('accepts only function types', () => {
    // @ts-expect-error a string is not a function
    expectTypeOf<Retried<string>>().not.toBeAny()
  })
})

describe('retry as a TC39 method decorator', () => {
  it('decorates async methods bare, with no options and with options', () => {
    class Repository {
      @retry
      async load(id: string): Promise<User> {
        return { id }
      }

      @retry()
      async save(_user: User): Promise<void> {}

      @retry({ maxAttempts: 2 })
      async remove(_id: string): Promise<boolean> {
        return true
      }
    }
    const repository = new Repository()
    expectTypeOf(repository.load).toEqualTypeOf<(id: string) => Promise<User>>()
    expectTypeOf(repository.save).toEqualTypeOf<(_user: User) => Promise<void>>()
    expectTypeOf(repository.remove).returns.toEqualTypeOf<Promise<boolean>>()
  })

  it('refuses a synchronous method, whose type would then lie: the decorated one returns a promise', () => {
    class Parser {
      // @ts-expect-error Retried<() => number> returns Promise<number>, not number
      @retry()
      count(): number {
        return 1
      }
    }
    expectTypeOf(new Parser().count).returns.toEqualTypeOf<number>()
  })
})
