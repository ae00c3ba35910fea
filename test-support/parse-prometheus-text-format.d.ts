// The package ships no types: what the tests use of it.
declare module 'parse-prometheus-text-format' {
  /** The metric families of a Prometheus text exposition; throws on a malformed one. */
  export default function parsePrometheusTextFormat(text: string): unknown[];
}
