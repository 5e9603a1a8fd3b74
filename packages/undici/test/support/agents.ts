import { virtualPolicy } from '@redress/test-support'
import { Agent, type Dispatcher } from 'undici'
import { afterEach } from 'vitest'
import { redressInterceptor } from '../../src/redressInterceptor.ts'

/** What {@link trackedAgents} gives a test file. */
export interface TrackedAgents {
  /** Run after each test, newest first; push anything else the test must close. */
  readonly closers: Array<() => Promise<unknown>>
  /** A new `Agent`, closed after the test. */
  agent(options?: Agent.Options): Agent
  /**
   * A new `Agent` (made with `options`) composed with `redressInterceptor` on a policy on virtual
   * time with no budget (`virtualPolicy({ budget: null })`), so backoff sleeps are skipped.
   */
  redressed(options?: Agent.Options): Dispatcher
}

/** Agents for one test file, every one closed after each test (registers an `afterEach`). */
export function trackedAgents(): TrackedAgents {
  const closers: Array<() => Promise<unknown>> = []
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close()
  })
  const agent = (options?: Agent.Options): Agent => {
    const made = new Agent(options)
    closers.push(() => made.close())
    return made
  }
  return {
    closers,
    agent,
    redressed: (options) =>
      agent(options).compose(redressInterceptor({ policy: virtualPolicy({ budget: null }).policy })),
  }
}
