import { describe, expect, it } from 'vitest'
import { LatencyHistory } from './LatencyHistory.ts'

describe('LatencyHistory', () => {
  it('keeps one window per key', () => {
    const h = new LatencyHistory()
    h.for('a').record(5)
    expect(h.for('a').count).toBe(1)
    expect(h.for('b').count).toBe(0)
    expect(h.size).toBe(2)
  })

  it('forgets the least recently used key past maxKeys', () => {
    const h = new LatencyHistory(2)
    h.for('a').record(1)
    h.for('b').record(1)
    h.for('a') // a is now the most recent
    h.for('c')
    expect(h.size).toBe(2)
    expect(h.for('a').count).toBe(1)
    expect(h.for('b').count).toBe(0)
  })
})
