import type { AxiosResponse, InternalAxiosRequestConfig } from 'axios'

/**
 * The request's function in its two roles, one closure instead of two per request: axios calls it
 * once, with the config, as the request's adapter; the runner calls it with no argument as the
 * request's `url`, only once an attempt failed (`getUri` re-merges the whole config with the
 * instance defaults). axios always passes a config, so the argument tells the roles apart.
 */
export interface AdapterAndUrl {
  (config: InternalAxiosRequestConfig): Promise<AxiosResponse>
  (): string
}
