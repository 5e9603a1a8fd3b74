import type { InternalAxiosRequestConfig, RawAxiosRequestHeaders } from 'axios'

/**
 * What a retry re-issues, as redress's interceptor saw the request: axios replaces `data` by its
 * `transformRequest` output and adds to the `headers` object in place (content type, length,
 * user agent, accept-encoding) before and inside the transport, so both are kept from before.
 * Everything else is read from the request's config when a retry is made.
 */
export interface RetrySnapshot {
  /** `config.data` before `transformRequest`: a reference (axios's transforms return new data, not change it). */
  readonly data: unknown
  /** A plain copy of `config.headers`, `false` values (which suppress a default header) included. */
  readonly headers: RawAxiosRequestHeaders
}

/**
 * A plain copy of the headers, `false` values (which suppress a default header) included: the
 * own enumerable properties, which is where `AxiosHeaders` keeps them. What a
 * {@link RetrySnapshot}'s `headers` hold.
 */
export function copyHeaders(headers: InternalAxiosRequestConfig['headers'] | undefined): RawAxiosRequestHeaders {
  return headers === undefined || headers === null ? {} : ({ ...headers } as RawAxiosRequestHeaders)
}
