import { ErrorClass, isErrorClass } from '@redress/core'
import { describe, expect, it } from 'vitest'

describe('ErrorClass', () => {
  it('maps every name to itself', () => {
    for (const [k, v] of Object.entries(ErrorClass)) expect(k).toBe(v)
    expect(isErrorClass('RATE_LIMIT')).toBe(true)
    expect(isErrorClass('toString')).toBe(false)
  })
})
