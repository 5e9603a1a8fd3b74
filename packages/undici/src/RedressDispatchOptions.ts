import type { ResumableRequestOptions } from '@redress/core/http'

/**
 * The per-request options the interceptor reads from undici's dispatch options. undici's own
 * `Dispatcher.DispatchOptions` (and so `request`, `stream` and `Dispatcher.RequestOptions`) is
 * augmented with this field when this package is imported.
 *
 * @example
 * await request(url, { dispatcher, redress: { operation: 'getUser' } })
 * await request(url, { dispatcher, method: 'POST', body, redress: { retry: false } })
 */
export interface RedressDispatchOptions {
  /**
   * Per-request options: `retry: false` sends the request once, untouched; `operation` names it;
   * `resume: false` never resumes its body. @default undefined
   */
  redress?: ResumableRequestOptions | undefined
}

declare module 'undici' {
  namespace Dispatcher {
    interface DispatchOptions extends RedressDispatchOptions {}
  }
}
