import { describe, expect, it } from 'vitest'
import { ErrorClass } from '../ErrorClass.ts'
import { defaultClassifier } from './defaultClassifier.ts'
import { strictClassifier } from './strictClassifier.ts'

function named(name: string): Error {
  const error = new Error('boom')
  error.name = name
  return error
}

describe('strictClassifier', () => {
  it.each([
    'AuthError',
    'UnauthorizedError',
    'CredentialsError',
    'ForbiddenError',
    'PermissionDenied',
    'RequestTimeout',
    'ConnectionError',
  ])('does not guess from the name %s', (name) => {
    expect(defaultClassifier(named(name))).not.toBe(ErrorClass.UNKNOWN)
    expect(strictClassifier(named(name))).toBe(ErrorClass.UNKNOWN)
  })

  it('does not guess from a constructor name', () => {
    class ConnectionRefused extends Error {}
    expect(strictClassifier(new ConnectionRefused('x'))).toBe(ErrorClass.UNKNOWN)
  })

  it('still honours the exact TimeoutError name, which is a fact and not a heuristic', () => {
    expect(strictClassifier(named('TimeoutError'))).toBe(ErrorClass.TRANSIENT)
  })

  it('still classifies facts behind a suggestively named error', () => {
    expect(strictClassifier(Object.assign(named('AuthError'), { status: 503 }))).toBe(ErrorClass.SERVER_ERROR)
  })
})
