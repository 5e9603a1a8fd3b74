/**
 * Name of the HTTP client this package adapts. A placeholder so the package builds
 * and publishes cleanly until `installRedress` lands here.
 *
 * @default 'axios'
 */
export const ADAPTER_NAME: string = 'axios'
