import { describe, expect, it } from 'vitest'
import { RetryPolicy } from '../index.ts'
import { checkRunState } from './checkRunState.ts'

const good = {
  v: 1,
  attempts: 2,
  startedAtMs: 1000,
  deadlineAtMs: null,
  prevSleepMs: 250,
  operation: 'sync',
  done: false,
  lastClass: 'TRANSIENT',
  classCounts: { TRANSIENT: 2 },
}

describe('checkRunState', () => {
  it('accepts a state a run produced, unchanged', () => {
    const run = new RetryPolicy().start({ operation: 'sync' })
    run.recordFailure(Object.assign(new Error('reset'), { code: 'ECONNRESET' }))
    const state = JSON.parse(JSON.stringify(run.state)) as unknown
    expect(checkRunState(state)).toBe(state)
    expect(checkRunState(good)).toBe(good)
  })

  it.each([
    ['not an object', 'x', TypeError, /policy\.resume\(state\): state must be an object, got "x"/],
    ['an array', [], TypeError, /state must be an object/],
    ['another version', { ...good, v: 2 }, TypeError, /v must be 1 \(the state version\), got 2/],
    ['attempts as a string', { ...good, attempts: '2' }, TypeError, /attempts must be a number, got "2"/],
    ['attempts fractional', { ...good, attempts: 1.5 }, RangeError, /attempts must be .*whole.*got 1\.5/],
    ['attempts missing', { ...good, attempts: undefined }, TypeError, /attempts must be given, got undefined/],
    ['startedAtMs negative', { ...good, startedAtMs: -1 }, RangeError, /startedAtMs must be .*got -1/],
    ['deadlineAtMs missing', { ...good, deadlineAtMs: undefined }, TypeError, /deadlineAtMs must be given \(or null\)/],
    ['prevSleepMs NaN', { ...good, prevSleepMs: Number.NaN }, RangeError, /prevSleepMs must be .*got NaN/],
    ['operation a number', { ...good, operation: 7 }, TypeError, /operation must be a string or null, got 7/],
    ['done missing', { ...good, done: undefined }, TypeError, /done must be given/],
    ['done a string', { ...good, done: 'no' }, TypeError, /done must be a boolean, got "no"/],
    [
      'lastClass unknown',
      { ...good, lastClass: 'OOPS' },
      TypeError,
      /lastClass must be an ErrorClass or null, got "OOPS"/,
    ],
    ['classCounts null', { ...good, classCounts: null }, TypeError, /classCounts must be an object, got null/],
    [
      'classCounts key unknown',
      { ...good, classCounts: { OOPS: 1 } },
      TypeError,
      /classCounts\.OOPS: OOPS is not an ErrorClass/,
    ],
    [
      'classCounts negative',
      { ...good, classCounts: { TRANSIENT: -1 } },
      RangeError,
      /classCounts\.TRANSIENT must be .*got -1/,
    ],
  ])('rejects %s, naming the field', (_name, state, type, message) => {
    expect(() => checkRunState(state)).toThrow(type)
    expect(() => checkRunState(state)).toThrow(message)
    // policy.resume checks through it, before building a run.
    expect(() => new RetryPolicy().resume(state as never)).toThrow(message)
  })
})
