import { describe, expect, it } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import { PermanentError } from '../errors/PermanentError.ts'
import { defaultClassifier } from './defaultClassifier.ts'

function named(name: string): Error {
  const error = new Error('boom')
  error.name = name
  return error
}

function ofClass(className: string): Error {
  const ctor = { [className]: class extends Error {} }[className]
  if (ctor === undefined) throw new Error('unreachable')
  return new ctor('boom')
}

describe('defaultClassifier name heuristics (rule 5)', () => {
  it.each([
    ['AuthError', ErrorClass.AUTH],
    ['AuthenticationFailed', ErrorClass.AUTH],
    ['UnauthorizedError', ErrorClass.AUTH],
    ['InvalidCredentialsError', ErrorClass.AUTH],
    ['ForbiddenError', ErrorClass.PERMISSION],
    ['PermissionDeniedError', ErrorClass.PERMISSION],
    ['RequestTimeout', ErrorClass.TRANSIENT],
    ['ConnectionClosedError', ErrorClass.TRANSIENT],
    ['SOCKET_TIMEOUT', ErrorClass.TRANSIENT],
    ['connectionerror', ErrorClass.TRANSIENT],
  ])('classifies an error named %s as %s', (name, expected) => {
    expect(defaultClassifier(named(name))).toBe(expected)
  })

  it.each([
    ['CredentialsProviderError', ErrorClass.AUTH],
    ['ForbiddenException', ErrorClass.PERMISSION],
    ['ConnectionRefused', ErrorClass.TRANSIENT],
  ])('classifies an instance of class %s by its constructor name', (className, expected) => {
    expect(defaultClassifier(ofClass(className))).toBe(expected)
  })

  it('prefers AUTH over PERMISSION over TRANSIENT when a name matches several', () => {
    expect(defaultClassifier(named('AuthTimeout'))).toBe(ErrorClass.AUTH)
    expect(defaultClassifier(named('PermissionConnectionError'))).toBe(ErrorClass.PERMISSION)
  })

  it('guesses from a cause when no link carries a fact', () => {
    expect(defaultClassifier(new Error('query failed', { cause: named('ConnectionLost') }))).toBe(ErrorClass.TRANSIENT)
  })

  it('lets a fact anywhere in the chain beat a name guess on the outer error', () => {
    const reset = Object.assign(new Error('reset'), { code: 'ECONNRESET' })
    expect(defaultClassifier(Object.assign(named('AuthClientError'), { cause: reset }))).toBe(ErrorClass.TRANSIENT)
    expect(defaultClassifier(Object.assign(named('ConnectionError'), { status: 404 }))).toBe(ErrorClass.PERMANENT)
    expect(defaultClassifier(new PermanentError('x', { cause: named('ConnectionError') }))).toBe(ErrorClass.PERMANENT)
  })

  it('guesses from a plain object name too', () => {
    expect(defaultClassifier({ name: 'ForbiddenError' })).toBe(ErrorClass.PERMISSION)
  })

  it('answers UNKNOWN for an error with nothing to go on', () => {
    expect(defaultClassifier(new Error('nope'))).toBe(ErrorClass.UNKNOWN)
    expect(defaultClassifier(new TypeError('nope'))).toBe(ErrorClass.UNKNOWN)
    expect(defaultClassifier({})).toBe(ErrorClass.UNKNOWN)
  })

  it('does not guess from a thrown function or string', () => {
    expect(defaultClassifier(function AuthThing() {})).toBe(ErrorClass.UNKNOWN)
    expect(defaultClassifier('AuthError')).toBe(ErrorClass.UNKNOWN)
  })
})
