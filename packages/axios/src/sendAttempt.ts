import type { AttemptContext } from '@redress/core'
import type { AxiosAdapter, AxiosResponse, GenericAbortSignal, InternalAxiosRequestConfig } from 'axios'
import { AttemptSignal } from './AttemptSignal.ts'

/**
 * Sends one attempt through the transport with the attempt's own signal, subscribed to the
 * attempt's context (a retry, or the first attempt of a run that cannot start quietly).
 */
export function sendAttempt(
  send: AxiosAdapter,
  config: InternalAxiosRequestConfig,
  ctx: AttemptContext,
): Promise<AxiosResponse> {
  const signal = new AttemptSignal(ctx)
  // A retry whose attempt was abandoned on its way through the interceptors is not sent.
  if (signal.aborted) return Promise.reject(signal.reason)
  return sendWith(send, config, signal)
}

/**
 * Sends one attempt through the transport with `signal` as its `config.signal`. axios's adapters
 * read `config.signal` when they are called, before their first `await`: the caller's own is put
 * back at once, so `response.config`/`error.config` and axios's own cancellation checks see it.
 */
export function sendWith(
  send: AxiosAdapter,
  config: InternalAxiosRequestConfig,
  signal: AttemptSignal,
): Promise<AxiosResponse> {
  const own = config.signal
  config.signal = signal
  let pending: Promise<AxiosResponse>
  try {
    pending = send(config)
  } finally {
    // Put back, not deleted when there was none: an absent and an undefined signal are the same
    // to axios, and deleting a property costs more than the rest of this function.
    ;(config as { signal?: GenericAbortSignal | undefined }).signal = own
  }
  signal.track(pending)
  return pending
}
