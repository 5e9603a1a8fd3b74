/**
 * The one label set every redress metric carries, in this order. Labels an event does
 * not have are the empty string, so every sample has all of them: prom-client rejects a
 * call with a different label set (the bug that made Python redress drop every metric).
 * Keep `operation` low-cardinality (the adapters' default namer gives `METHOD host`).
 */
export const PROMETHEUS_LABELS: readonly ['event', 'class', 'operation', 'stop_reason', 'method', 'host', 'status'] =
  Object.freeze(['event', 'class', 'operation', 'stop_reason', 'method', 'host', 'status'] as const)

/** One of {@link PROMETHEUS_LABELS}. */
export type PrometheusLabel = (typeof PROMETHEUS_LABELS)[number]
