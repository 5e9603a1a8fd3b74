import type { RetryPolicy } from '@redress/core'
import { redressFetch } from '@redress/fetch'
import ky, { HTTPError } from 'ky'
import type { CallResult, DemoClient } from '../DemoClient.ts'
import { errorCode } from '../errorCode.ts'
import type { ScenarioStep } from '../scenario.ts'

/** ky with its own retries off and redress underneath, through `redressFetch`. */
export function kyClient(origin: string, policy: RetryPolicy): DemoClient {
  // ky's own retry and timeout are off: retrying at one layer only is the point. ky hands
  // fetch a Request, whose body is a one-shot stream: buffering small ones keeps them retryable.
  const fetchWithRetries = redressFetch({ policy, maxBufferedBodyBytes: 64 * 1024 })
  const api = ky.create({ prefixUrl: origin, fetch: fetchWithRetries, retry: 0, timeout: false })
  return {
    name: 'ky + redressFetch',
    async send(step: ScenarioStep): Promise<CallResult> {
      try {
        const res = await api(step.path.slice(1), {
          method: step.method,
          ...(step.body === undefined ? {} : { body: step.body, headers: { 'content-type': 'application/json' } }),
        })
        await res.arrayBuffer()
        return { status: res.status, error: undefined }
      } catch (error) {
        if (error instanceof HTTPError) return { status: error.response.status, error: undefined }
        return { status: undefined, error: errorCode(error) }
      }
    },
    async close(): Promise<void> {},
  }
}
