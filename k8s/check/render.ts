/**
 * Renders a Kustomize folder with `kubectl kustomize` (no cluster, no network) into plain
 * objects. kubectl missing is said plainly, with how to get it.
 */
import { spawnSync } from 'node:child_process';
import { parseAllDocuments } from 'yaml';

/** A rendered Kubernetes object; only the fields every object has are typed. */
export interface K8sObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: unknown;
}

/** What to tell someone whose machine has no kubectl. */
export const KUBECTL_MISSING =
  'kubectl is not installed or not on PATH: k8s/ is checked by rendering every overlay with `kubectl kustomize` ' +
  '(no cluster needed). Install kubectl (https://kubernetes.io/docs/tasks/tools/, or `apt-get install kubectl` ' +
  'from the Kubernetes apt repository) and run the tests again.';

/**
 * `kubectl kustomize <dir>`, parsed.
 *
 * @throws Error with KUBECTL_MISSING when kubectl is absent, or kustomize's own message.
 * @example renderKustomization('k8s/overlays/acme').filter((o) => o.kind === 'Deployment')
 */
export function renderKustomization(dir: string, kubectl = 'kubectl'): K8sObject[] {
  const run = spawnSync(kubectl, ['kustomize', dir], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if ((run.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') throw new Error(KUBECTL_MISSING);
  if (run.error) throw run.error;
  if (run.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${run.stderr.trim()}`);
  return parseAllDocuments(run.stdout)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

/** `Deployment/gateway`: how every problem names its object. */
export function refOf(o: K8sObject): string {
  return `${o.kind}/${o.metadata?.name ?? '(no name)'}`;
}
