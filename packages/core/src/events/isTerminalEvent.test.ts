import { describe, expect, it } from 'vitest'
import { EventName } from './EventName.ts'
import { CIRCUIT_TRANSITION_EVENTS, isTerminalEvent } from './isTerminalEvent.ts'
import { STOP_EVENTS } from './stopEvents.ts'

describe('isTerminalEvent', () => {
  it('is true for success and for the event of every stop reason', () => {
    for (const event of [EventName.SUCCESS, ...Object.values(STOP_EVENTS)]) expect(isTerminalEvent(event)).toBe(true)
  })

  it('is false for retry, hedge and the circuit transitions, and those are the only such events', () => {
    const nonTerminal = Object.values(EventName).filter((e) => !isTerminalEvent(e))
    expect(nonTerminal.sort()).toEqual([EventName.RETRY, EventName.HEDGE, ...CIRCUIT_TRANSITION_EVENTS].sort())
  })
})
