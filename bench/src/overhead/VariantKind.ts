/**
 * What a variant is within its client family:
 * - `raw`: the client alone, the baseline every ratio divides by;
 * - `passthrough`: the client behind one layer that does nothing (a composed interceptor,
 *   a wrapper function, a request interceptor), the floor any middleware pays to be there;
 * - `redress`: the client with redress installed;
 * - `peer`: the client with another retry library.
 */
export type VariantKind = 'raw' | 'passthrough' | 'redress' | 'peer'
