import type { RetryPolicy } from '@redress/core'
import { redressInterceptor } from '@redress/undici'
import { Agent, request } from 'undici'
import type { CallResult, DemoClient } from '../DemoClient.ts'
import { errorCode } from '../errorCode.ts'
import type { ScenarioStep } from '../scenario.ts'

/** `undici.request` through an `Agent` composed with the redress interceptor. */
export function undiciClient(origin: string, policy: RetryPolicy): DemoClient {
  const agent = new Agent()
  const dispatcher = agent.compose(redressInterceptor({ policy }))
  return {
    name: 'undici + redressInterceptor',
    async send(step: ScenarioStep): Promise<CallResult> {
      try {
        const res = await request(`${origin}${step.path}`, {
          dispatcher,
          method: step.method,
          ...(step.body === undefined ? {} : { body: step.body, headers: { 'content-type': 'application/json' } }),
        })
        await res.body.arrayBuffer()
        return { status: res.statusCode, error: undefined }
      } catch (error) {
        return { status: undefined, error: errorCode(error) }
      }
    },
    async close(): Promise<void> {
      await agent.close()
    },
  }
}
