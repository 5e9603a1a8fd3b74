import { describe, expect, it } from 'vitest'
import { MAX_CAUSE_DEPTH, safeGet, walkCauses } from './errorCodes.ts'

describe('safeGet', () => {
  it('reads a property of an object or a function', () => {
    expect(safeGet({ code: 'ECONNRESET' }, 'code')).toBe('ECONNRESET')
    expect(
      safeGet(
        Object.assign(() => undefined, { status: 503 }),
        'status',
      ),
    ).toBe(503)
  })

  it('reads nothing from primitives, not even a string length', () => {
    expect(safeGet('text', 'length')).toBeUndefined()
    expect(safeGet(5, 'toFixed')).toBeUndefined()
    expect(safeGet(null, 'x')).toBeUndefined()
    expect(safeGet(undefined, 'x')).toBeUndefined()
  })

  it('answers undefined when the read throws', () => {
    const hostile = Object.defineProperty({}, 'x', {
      get(): never {
        throw new Error('boom')
      },
    })
    expect(safeGet(hostile, 'x')).toBeUndefined()
  })
})

describe('walkCauses', () => {
  function visited(error: unknown): unknown[] {
    const seen: unknown[] = []
    walkCauses(error, (value) => {
      seen.push(value)
      return undefined
    })
    return seen
  }

  it('visits the error and each cause once, and stops at the end of the chain', () => {
    const root = new Error('root')
    const middle = new Error('middle', { cause: root })
    const top = new Error('top', { cause: middle })
    expect(visited(top)).toEqual([top, middle, root])
    expect(visited(Object.assign(new Error('x'), { cause: null }))).toHaveLength(1)
  })

  it('visits nothing for undefined or null', () => {
    expect(visited(undefined)).toEqual([])
    expect(visited(null)).toEqual([])
  })

  it('stops at a cycle', () => {
    const a = new Error('a')
    const b = new Error('b', { cause: a })
    Object.assign(a, { cause: b })
    expect(visited(a)).toEqual([a, b])
  })

  it(`visits at most ${MAX_CAUSE_DEPTH + 1} links`, () => {
    let error: unknown = new Error('root')
    for (let i = 0; i < 20; i++) error = new Error(`wrap ${i}`, { cause: error })
    expect(visited(error)).toHaveLength(MAX_CAUSE_DEPTH + 1)
  })

  it('returns the first answer, outermost first', () => {
    const inner = Object.assign(new Error('inner'), { tag: 'inner' })
    const outer = Object.assign(new Error('outer', { cause: inner }), { tag: 'outer' })
    expect(walkCauses(outer, (v) => safeGet(v, 'tag'))).toBe('outer')
    expect(walkCauses(outer, (v) => (v === inner ? 'found' : undefined))).toBe('found')
  })
})
