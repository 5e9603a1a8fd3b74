import { ErrorClass, TokenBudget } from '@redress/core'
import { HTTP_TOKEN_BUDGET_DEFAULTS } from '@redress/core/http'
import { FakeClock } from '@redress/core/testing'
import { describe, expect, it } from 'vitest'
import { applyBudgetSync } from './applyBudgetSync.ts'
import { FLEET_TOKEN_BUDGET_DEFAULTS, FleetTokenBudget } from './FleetTokenBudget.ts'

/** A fleet of budgets sharing one simulated store (the Lua script's twin), synced by hand. */
function fleet(n: number, options: ConstructorParameters<typeof FleetTokenBudget>[0] = {}) {
  const clock = new FakeClock()
  let stored: number | undefined
  const hooks = { wakes: 0, urgents: 0 }
  const members = Array.from({ length: n }, () => {
    // gRFC A6's small bucket keeps the arithmetic of these tests readable.
    const b = new FleetTokenBudget({ clock, maxTokens: 10, tokenRatio: 0.2, ...options })
    b.setSyncHooks({ wake: () => hooks.wakes++, urgent: () => hooks.urgents++ })
    return b
  })
  const sync = (b: FleetTokenBudget): void => {
    const request = b.beginSync(clock.now())
    if (request === undefined) return
    const result = applyBudgetSync(stored, request)
    stored = result.stored
    b.endSync(result.reply, clock.now())
  }
  return { clock, members, sync, hooks, stored: () => stored }
}

describe('FleetTokenBudget', () => {
  it('answers like a TokenBudget with the same options before any sync', () => {
    const local = new TokenBudget({ maxTokens: 10, tokenRatio: 0.2 })
    const [b] = fleet(1).members as [FleetTokenBudget]
    const steps = 'FFFSFFFSSSSSSSSSSSSFFFFFSSSSSSSSSSSSSSSSSSSSSSSSS'
    for (const step of steps) {
      if (step === 'F') {
        local.recordFailure(ErrorClass.SERVER_ERROR)
        b.recordFailure(ErrorClass.SERVER_ERROR)
      } else {
        local.recordSuccess()
        b.recordSuccess()
      }
      expect([b.tokens, b.tryAcquire()]).toEqual([local.tokens, local.tryAcquire()])
    }
  })

  it('stops retries in another process once both have synced after the failures', () => {
    const { members, sync } = fleet(2)
    const [a, b] = members as [FleetTokenBudget, FleetTokenBudget]
    for (let i = 0; i < 5; i++) a.recordFailure(ErrorClass.TRANSIENT)
    expect(b.tryAcquire()).toBe(true)
    sync(a)
    expect(b.tryAcquire()).toBe(true)
    sync(b)
    expect(b.tokens).toBe(5)
    expect(b.tryAcquire()).toBe(false)
  })

  it('keeps what happened during a sync on top of the fleet total it receives', () => {
    const { members, clock } = fleet(1)
    const [a] = members as [FleetTokenBudget]
    a.recordFailure(ErrorClass.TRANSIENT)
    const request = a.beginSync(clock.now())
    expect(request).toEqual({ maxMilli: 10_000, deltaMilli: -1000 })
    a.recordFailure(ErrorClass.TRANSIENT)
    a.endSync({ tokensMilli: 6000 }, clock.now()) // other processes failed too
    expect(a.tokens).toBe(5)
  })

  it('sends a batch of at most one bucket either way', () => {
    const { members, clock } = fleet(1, { maxTokens: 2 })
    const [a] = members as [FleetTokenBudget]
    for (let i = 0; i < 50; i++) a.recordFailure(ErrorClass.TRANSIENT)
    expect(a.beginSync(clock.now())?.deltaMilli).toBe(-2000)
  })

  it('costs nothing for AUTH, PERMISSION and PERMANENT failures', () => {
    const { members, clock } = fleet(1)
    const [a] = members as [FleetTokenBudget]
    for (const c of [ErrorClass.AUTH, ErrorClass.PERMISSION, ErrorClass.PERMANENT]) a.recordFailure(c)
    expect(a.tokens).toBe(10)
    expect(a.beginSync(clock.now())?.deltaMilli).toBe(0)
  })

  it('asks for an urgent sync once, when its view first runs dry', () => {
    const { members, hooks } = fleet(1)
    const [a] = members as [FleetTokenBudget]
    for (let i = 0; i < 4; i++) a.recordFailure(ErrorClass.TRANSIENT)
    expect(hooks.urgents).toBe(0)
    a.recordFailure(ErrorClass.TRANSIENT)
    expect(hooks.urgents).toBe(1)
    a.recordFailure(ErrorClass.TRANSIENT)
    expect(hooks.urgents).toBe(1)
  })

  it('stops syncing after idleAfterMs without a call, and wakes on the next call', async () => {
    const { members, clock, hooks } = fleet(1, { idleAfterMs: 1000 })
    const [a] = members as [FleetTokenBudget]
    a.tryAcquire()
    expect(a.beginSync(clock.now())).toBeDefined()
    await clock.advance(999)
    expect(a.beginSync(clock.now())).toBeDefined()
    await clock.advance(1)
    expect(a.beginSync(clock.now())).toBeUndefined()
    expect(hooks.wakes).toBe(0)
    a.recordSuccess()
    expect(hooks.wakes).toBe(1)
    expect(a.beginSync(clock.now())).toBeDefined()
  })

  it('keeps a batch that was never sent, and drops one that may have been applied', () => {
    const { members, clock } = fleet(1)
    const [a] = members as [FleetTokenBudget]
    a.recordFailure(ErrorClass.TRANSIENT)
    const unsent = a.beginSync(clock.now())
    a.failSync(new Error('not connected'), clock.now(), unsent)
    expect(a.fleet).toBe(false)
    expect(a.beginSync(clock.now())?.deltaMilli).toBe(-1000)
    a.failSync(new Error('timeout'), clock.now())
    expect(a.beginSync(clock.now())?.deltaMilli).toBe(0)
  })

  it('carries on as a local TokenBudget from its last view while syncs fail', () => {
    const { members, sync, clock } = fleet(2)
    const [a, b] = members as [FleetTokenBudget, FleetTokenBudget]
    for (let i = 0; i < 4; i++) a.recordFailure(ErrorClass.TRANSIENT)
    sync(a)
    sync(b)
    expect(b.tokens).toBe(6)
    b.failSync(new Error('down'), clock.now())
    b.recordFailure(ErrorClass.TRANSIENT)
    expect(b.tryAcquire()).toBe(false)
    for (let i = 0; i < 5; i++) b.recordSuccess()
    expect(b.tokens).toBe(6)
    expect(b.tryAcquire()).toBe(true)
  })

  it('rejects bad options naming them', () => {
    expect(() => new FleetTokenBudget({ maxTokens: 0 })).toThrow(/maxTokens/)
    expect(() => new FleetTokenBudget({ tokenRatio: Number.NaN })).toThrow(/tokenRatio/)
    expect(() => new FleetTokenBudget({ idleAfterMs: -1 })).toThrow(/idleAfterMs/)
    expect(() => new FleetTokenBudget({ clock: {} as never })).toThrow(
      new TypeError('FleetTokenBudget: clock must be an object with a now() method, got an object'),
    )
    expect(() => new FleetTokenBudget({ clock: { now: () => 0, sleep: 1 } as never })).toThrow(/clock\.sleep/)
    expect(() => new FleetTokenBudget(null as never)).toThrow(/options/)
  })

  it('keeps by default the bucket httpPolicy gives each origin', () => {
    expect(FLEET_TOKEN_BUDGET_DEFAULTS).toMatchObject(HTTP_TOKEN_BUDGET_DEFAULTS)
  })

  it('documents its defaults', () => {
    const b = new FleetTokenBudget()
    expect([b.maxTokens, b.tokenRatio, b.idleAfterMs]).toEqual([
      FLEET_TOKEN_BUDGET_DEFAULTS.maxTokens,
      FLEET_TOKEN_BUDGET_DEFAULTS.tokenRatio,
      FLEET_TOKEN_BUDGET_DEFAULTS.idleAfterMs,
    ])
  })
})

describe('applyBudgetSync', () => {
  it.each([
    ['a missing bucket is full', undefined, -1000, 9000, 9000],
    ['clamps at 0', 500, -1000, 0, 0],
    ['clamps at max and deletes the key', 9900, 1000, 10_000, undefined],
    ['a bucket above a smaller max is read as max', 20_000, -1000, 9000, 9000],
    ['a zero batch reads the total', 4200, 0, 4200, 4200],
  ])('%s', (_name, stored, deltaMilli, tokensMilli, after) => {
    const result = applyBudgetSync(stored, { maxMilli: 10_000, deltaMilli })
    expect(result).toEqual({ stored: after, reply: { tokensMilli } })
  })
})
