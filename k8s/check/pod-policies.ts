/**
 * What every Deployment of the blueprint must be: restricted containers (non-root, read-only
 * root filesystem, no privilege escalation, all capabilities dropped, RuntimeDefault seccomp),
 * requests and limits, the three probes, a PodDisruptionBudget, no service-account token.
 */
import { refOf, type K8sObject } from './render.ts';
import { containersOf, ofKind, podLabels, selects, type Container, type Deployment, type LabelSelector, type PodSpec } from './shapes.ts';

/** One line per problem, each naming the Deployment and container. */
export function podProblems(objects: readonly K8sObject[]): string[] {
  const pdbs = ofKind<K8sObject & { spec: { selector?: LabelSelector } }>(objects, 'PodDisruptionBudget');
  return ofKind<Deployment>(objects, 'Deployment').flatMap((d) => {
    const pod = d.spec.template.spec;
    const problems = containersOf(d).flatMap((c) => containerProblems(c, pod).map((p) => `${refOf(d)} container ${c.name}: ${p}`));
    if (pod.automountServiceAccountToken !== false) problems.push(`${refOf(d)}: automountServiceAccountToken must be false (no part talks to the Kubernetes API)`);
    if (!pdbs.some((p) => selects(p.spec.selector, podLabels(d)))) problems.push(`${refOf(d)}: no PodDisruptionBudget selects its pods`);
    return problems;
  });
}

function containerProblems(c: Container, pod: PodSpec): string[] {
  const problems = [...securityProblems(c, pod)];
  for (const kind of ['requests', 'limits'] as const) {
    for (const resource of ['cpu', 'memory']) if (c.resources?.[kind]?.[resource] === undefined) problems.push(`no ${resource} ${kind.slice(0, -1)}`);
  }
  for (const probe of ['startupProbe', 'readinessProbe', 'livenessProbe'] as const) if (!c[probe]) problems.push(`no ${probe}`);
  return problems;
}

function securityProblems(c: Container, pod: PodSpec): string[] {
  const own = c.securityContext ?? {};
  const podContext = pod.securityContext ?? {};
  const runAsUser = own.runAsUser ?? podContext.runAsUser;
  const problems: string[] = [];
  if ((own.runAsNonRoot ?? podContext.runAsNonRoot) !== true || runAsUser === 0) problems.push('runs as root (runAsNonRoot must be true, runAsUser not 0)');
  if (own.allowPrivilegeEscalation !== false) problems.push('allowPrivilegeEscalation must be false');
  if (own.readOnlyRootFilesystem !== true) problems.push('readOnlyRootFilesystem must be true');
  if (own.privileged === true) problems.push('is privileged');
  if (!own.capabilities?.drop?.includes('ALL')) problems.push('capabilities must drop ALL');
  if ((own.seccompProfile ?? podContext.seccompProfile)?.type !== 'RuntimeDefault') problems.push('seccompProfile must be RuntimeDefault');
  return problems;
}
