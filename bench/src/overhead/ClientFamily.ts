/** The HTTP clients the overhead benchmark measures, one table each. */
export type ClientFamily = 'undici' | 'fetch' | 'axios'

/** The client families, in report order. */
export const CLIENT_FAMILIES: readonly ClientFamily[] = ['undici', 'fetch', 'axios']
