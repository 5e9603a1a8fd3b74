export type { PrometheusHooks, PrometheusHooksOptions } from './prometheusHooks.ts'
export { PROMETHEUS_HOOKS_DEFAULTS, prometheusHooks } from './prometheusHooks.ts'
export type { PrometheusLabel } from './prometheusLabels.ts'
export { PROMETHEUS_LABELS } from './prometheusLabels.ts'
