import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { EventQueue } from '../src/sim/EventQueue.ts'

describe('EventQueue', () => {
  it('pops events in time order, and same-time events in the order they were pushed', () => {
    const q = new EventQueue<string>()
    q.push(10, 'c')
    q.push(5, 'a')
    q.push(10, 'd')
    q.push(5, 'b')
    q.push(0, 'first')
    const out: string[] = []
    for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(`${e.timeMs}:${e.payload}`)
    expect(out).toEqual(['0:first', '5:a', '5:b', '10:c', '10:d'])
    expect(q.size).toBe(0)
  })

  it('behaves as a stable sort by time for any interleaving of pushes and pops', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined })), (ops) => {
        const q = new EventQueue<number>()
        const model: { t: number; id: number }[] = []
        let id = 0
        for (const op of ops) {
          if (op === undefined) {
            model.sort((a, b) => a.t - b.t || a.id - b.id)
            const want = model.shift()
            const got = q.pop()
            expect(got === undefined ? undefined : { t: got.timeMs, id: got.payload }).toEqual(want)
          } else {
            q.push(op, id)
            model.push({ t: op, id })
            id++
          }
        }
      }),
    )
  })

  it('rejects a NaN time', () => {
    expect(() => new EventQueue<number>().push(Number.NaN, 1)).toThrow(RangeError)
  })
})
