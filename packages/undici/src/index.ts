/**
 * Name of the HTTP client this package adapts. A placeholder so the package builds
 * and publishes cleanly until `redressInterceptor` lands here.
 *
 * @default 'undici'
 */
export const ADAPTER_NAME: string = 'undici'
