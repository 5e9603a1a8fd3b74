export type { HttpRequestSummary, RedressRequestOptions } from '@redress/core/http'
export type { RedressFetchOptions } from './RedressFetchOptions.ts'
export { REDRESS_FETCH_DEFAULTS } from './RedressFetchOptions.ts'
export { redressFetch } from './redressFetch.ts'
