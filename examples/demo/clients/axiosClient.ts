import { installRedress } from '@redress/axios'
import type { RetryPolicy } from '@redress/core'
import axios, { isAxiosError } from 'axios'
import type { CallResult, DemoClient } from '../DemoClient.ts'
import { errorCode } from '../errorCode.ts'
import type { ScenarioStep } from '../scenario.ts'

/** An axios instance with the redress interceptor installed. */
export function axiosClient(origin: string, policy: RetryPolicy): DemoClient {
  const instance = axios.create({ baseURL: origin })
  const eject = installRedress(instance, { policy })
  return {
    name: 'axios + installRedress',
    async send(step: ScenarioStep): Promise<CallResult> {
      try {
        const res = await instance.request({
          url: step.path,
          method: step.method,
          ...(step.body === undefined ? {} : { data: step.body, headers: { 'content-type': 'application/json' } }),
        })
        return { status: res.status, error: undefined }
      } catch (error) {
        if (isAxiosError(error) && error.response !== undefined)
          return { status: error.response.status, error: undefined }
        return { status: undefined, error: errorCode(error) }
      }
    },
    async close(): Promise<void> {
      eject()
    },
  }
}
