import type { RetryPolicy } from '@redress/core'
import { redressFetch } from '@redress/fetch'
import type { CallResult, DemoClient } from '../DemoClient.ts'
import { errorCode } from '../errorCode.ts'
import type { ScenarioStep } from '../scenario.ts'

/** `redressFetch` over the global fetch. */
export function fetchClient(origin: string, policy: RetryPolicy): DemoClient {
  const fetchWithRetries = redressFetch({ policy })
  return {
    name: 'redressFetch',
    async send(step: ScenarioStep): Promise<CallResult> {
      try {
        const res = await fetchWithRetries(`${origin}${step.path}`, {
          method: step.method,
          ...(step.body === undefined ? {} : { body: step.body, headers: { 'content-type': 'application/json' } }),
        })
        await res.arrayBuffer()
        return { status: res.status, error: undefined }
      } catch (error) {
        return { status: undefined, error: errorCode(error) }
      }
    },
    async close(): Promise<void> {},
  }
}
