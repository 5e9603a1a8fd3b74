import type { HttpAdapter, Resumer } from '@redress/core/adapter'
import type { AxiosInstance } from 'axios'

/** What one installation shares between its requests. */
export interface Installation {
  /** The instance retries are re-issued through, so every request interceptor runs again. */
  readonly instance: AxiosInstance
  /** The shared HTTP runner: policy, classification, deferred call options. */
  readonly http: HttpAdapter
  /** Resumes cut `responseType: 'stream'` bodies (the installation's `resume` option). */
  readonly resumer: Resumer
}
