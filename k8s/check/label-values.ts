/**
 * Label values, which kubernetes-models' schemas leave as any string but the API server refuses
 * unless they are at most 63 characters of letters, digits, `-`, `_` and `.`, starting and ending
 * with a letter or digit: every `labels` and `matchLabels` map of every object, at any depth
 * (pod templates, selectors, NetworkPolicy peers, HPA metric selectors).
 */
import { refOf, type K8sObject } from './render.ts';

const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** One line per bad value: `HorizontalPodAutoscaler/worker spec.metrics[1]…matchLabels.stream: "a:b" is not a valid label value`. */
export function labelValueProblems(objects: readonly K8sObject[]): string[] {
  return objects.flatMap((o) => walk(o, '').map((p) => `${refOf(o)} ${p}`));
}

function walk(node: unknown, path: string): string[] {
  if (Array.isArray(node)) return node.flatMap((item, i) => walk(item, `${path}[${i}]`));
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const at = path === '' ? key : `${path}.${key}`;
    if ((key === 'labels' || key === 'matchLabels') && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return Object.entries(value).filter(([, v]) => typeof v !== 'string' || v.length > 63 || !LABEL_VALUE.test(v)).map(([k, v]) => `${at}.${k}: ${JSON.stringify(v)} is not a valid label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)`);
    }
    return walk(value, at);
  });
}
