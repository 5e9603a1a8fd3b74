import { inspect } from 'node:util'
import { startHeldServer } from '@redress/test-support'
import { describe, expect, it } from 'vitest'
import { trackedAgents } from './support/agents.ts'

const { closers, redressed } = trackedAgents()

describe("the controller a caller's handler receives", () => {
  it('shows its state, not the run behind it (the request, its headers), to console.log and JSON.stringify', async () => {
    const s = await startHeldServer((held) => held.respond(200, 'ok'))
    closers.push(() => s.close())
    const shown: string[] = []
    await new Promise<void>((resolve, reject) => {
      redressed().dispatch(
        { origin: s.origin, path: '/', method: 'GET', headers: { authorization: 'Bearer s3cret-token' } },
        {
          onRequestStart(controller) {
            shown.push(inspect(controller, { depth: 8 }), JSON.stringify(controller))
          },
          onResponseStart() {},
          onResponseData() {},
          onResponseEnd: () => resolve(),
          onResponseError: (_controller, error) => reject(error),
        },
      )
    })
    expect(shown).toEqual([
      '{ aborted: false, paused: false, reason: null }',
      '{"aborted":false,"paused":false,"reason":null}',
    ])
    expect(s.requests[0]?.headers.authorization).toBe('Bearer s3cret-token')
  })
})
