/**
 * Name of the HTTP client this package adapts. A placeholder so the package builds
 * and publishes cleanly until `redressFetch` lands here.
 *
 * @default 'fetch'
 */
export const ADAPTER_NAME: string = 'fetch'
