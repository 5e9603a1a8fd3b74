export { OTEL_ATTRIBUTES } from './otelAttributes.ts'
export type { OtelHooks, OtelHooksOptions } from './otelHooks.ts'
export { OTEL_HOOKS_DEFAULTS, otelHooks } from './otelHooks.ts'
export { OTEL_METRICS } from './otelMetricNames.ts'
