import { operationFnError } from '../guard/validate.ts'
import { decorrelatedJitter } from '../strategies/decorrelatedJitter.ts'
import type { RetryOptions } from './RetryOptions.ts'
import { RetryPolicy } from './RetryPolicy.ts'

/** A function wrapped by `retry`: same parameters, always async. */
export type Retried<F extends (...args: never[]) => unknown> = (
  ...args: Parameters<F>
) => Promise<Awaited<ReturnType<F>>>

/** What `retry(options)` returns: a wrapper and a standard (TC39) method decorator. */
export interface RetryDecorator {
  <F extends (...args: never[]) => unknown>(fn: F): Retried<F>
  <F extends (...args: never[]) => unknown>(method: F, context: ClassMethodDecoratorContext): Retried<F>
}

/** The default strategy of `retry` when none is given: `decorrelatedJitter({ maxMs: 5_000 })`. */
export const RETRY_WRAPPER_MAX_MS = 5_000

function isMethodContext(value: unknown): value is ClassMethodDecoratorContext {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'method'
}

function wrap<F extends (...args: never[]) => unknown>(
  policy: RetryPolicy,
  fn: F,
  operation: string | undefined,
): Retried<F> {
  // One options object for every call of the wrapper: each call's options are checked (their
  // keys too), and a fresh object per call would cost an allocation for nothing.
  const call = operation !== undefined && operation.length > 0 ? Object.freeze({ operation }) : undefined
  const wrapped = function (this: unknown, ...args: Parameters<F>): Promise<Awaited<ReturnType<F>>> {
    return policy.call(() => fn.apply(this, args) as Awaited<ReturnType<F>>, call)
  }
  Object.defineProperty(wrapped, 'name', { value: fn.name })
  return wrapped
}

function decorator(options: RetryOptions | undefined): RetryDecorator {
  const policy = new RetryPolicy(
    options?.strategy === undefined && options?.strategies === undefined
      ? { ...options, strategy: decorrelatedJitter({ maxMs: RETRY_WRAPPER_MAX_MS }) }
      : options,
  )
  return (<F extends (...args: never[]) => unknown>(fn: F, context?: ClassMethodDecoratorContext): Retried<F> => {
    const notFn = operationFnError('retry(...)(fn)', fn)
    if (notFn !== undefined) throw notFn
    return wrap(policy, fn, isMethodContext(context) ? String(context.name) : fn.name)
  }) as RetryDecorator
}

/**
 * Wraps a function with retries, or decorates a class method (TC39 decorators).
 * Without a strategy it uses `decorrelatedJitter({ maxMs: 5_000 })`; the operation
 * name defaults to the function's (or method's) name.
 *
 * @example
 * const fetchUser = retry(async (id: string) => api.get(id))
 * const fast = retry({ maxAttempts: 3 })(async (id: string) => api.get(id))
 * class Repo { @retry() async load() {} }
 */
export function retry<F extends (...args: never[]) => unknown>(fn: F): Retried<F>
export function retry<F extends (...args: never[]) => unknown>(
  method: F,
  context: ClassMethodDecoratorContext,
): Retried<F>
export function retry(options?: RetryOptions): RetryDecorator
export function retry(
  fnOrOptions?: ((...args: never[]) => unknown) | RetryOptions,
  context?: ClassMethodDecoratorContext,
): Retried<(...args: never[]) => unknown> | RetryDecorator {
  if (typeof fnOrOptions === 'function')
    return decorator(undefined)(fnOrOptions, context as ClassMethodDecoratorContext)
  return decorator(fnOrOptions)
}
