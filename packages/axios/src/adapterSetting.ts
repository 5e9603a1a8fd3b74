import axios, { type AxiosAdapter, type AxiosRequestConfig, type InternalAxiosRequestConfig } from 'axios'

// The caller's `config.adapter` setting (a name, a list or a function), which redress replaces
// on the request by its own adapter: what it resolves to, and putting it back.

/**
 * The transport an adapter setting names: a function is the transport itself (what
 * `axios.getAdapter` would return for it); names and lists are resolved by axios for this config.
 */
export function transportFor(
  transport: AxiosRequestConfig['adapter'],
  config: InternalAxiosRequestConfig,
): AxiosAdapter {
  return typeof transport === 'function' ? transport : axios.getAdapter(transport ?? axios.defaults.adapter, config)
}

/** Puts the caller's adapter setting back on a config, so an error's `config` can be re-sent as it was. */
export function restoreAdapter(config: InternalAxiosRequestConfig, transport: AxiosRequestConfig['adapter']): void {
  if (transport === undefined) delete config.adapter
  else config.adapter = transport
}
