export type { RedressRequestOptions } from '@redress/core/http'
export type { InstallRedressOptions } from './InstallRedressOptions.ts'
export { installRedress } from './installRedress.ts'
export type { RedressAxiosRequestOptions } from './RedressAxiosConfig.ts'
