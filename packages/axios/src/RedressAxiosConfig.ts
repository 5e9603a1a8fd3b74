import type { ResumableRequestOptions } from '@redress/core/http'

/**
 * The per-request options redress reads from an axios request config, typed on axios's own
 * `AxiosRequestConfig` by module augmentation:
 *
 * ```ts
 * await api.get('/report', { redress: { retry: false } })               // sent once, untouched
 * await api.post('/orders', order, { redress: { operation: 'createOrder', retryNonIdempotent: true } })
 * ```
 */
export type RedressAxiosRequestOptions = ResumableRequestOptions

declare module 'axios' {
  // The type parameters must repeat axios's own declaration for the interfaces to merge.
  interface AxiosRequestConfig<D, P> {
    /**
     * redress's options for this request: `retry: false` sends it once through the plain
     * client; `operation` names it (the `operation` tag); `retryNonIdempotent` replaces the
     * installation's setting; `resume: false` never resumes its stream body. @default undefined —
     * the installation's options
     */
    redress?: ResumableRequestOptions | undefined
  }
}
