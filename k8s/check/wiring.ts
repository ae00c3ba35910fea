/**
 * References between the rendered objects hold: every ConfigMap a pod uses exists, every
 * Service selects pods that listen on its target ports, every Ingress backend is a Service port,
 * every HPA scales a Deployment that leaves its replica count to it, and configuration syncs
 * before workloads (Argo CD sync waves: ConfigMaps and NetworkPolicies before Deployments).
 */
import { refOf, type K8sObject } from './render.ts';
import { containersOf, listensOn, ofKind, podLabels, selects, syncWave, type Deployment, type LabelSelector } from './shapes.ts';

interface Service extends K8sObject { readonly spec: { readonly selector?: Record<string, string>; readonly ports: readonly { readonly name?: string; readonly port: number; readonly targetPort?: number | string }[] } }
interface Hpa extends K8sObject { readonly spec: { readonly scaleTargetRef: { readonly kind: string; readonly name: string } } }
interface Backend { readonly service: { readonly name: string; readonly port: { readonly name?: string; readonly number?: number } } }
interface Ingress extends K8sObject { readonly spec: { readonly rules?: readonly { readonly http?: { readonly paths: readonly { readonly backend: Backend }[] } }[] } }

/** One line per problem. */
export function wiringProblems(objects: readonly K8sObject[]): string[] {
  const deployments = ofKind<Deployment>(objects, 'Deployment');
  const configMaps = new Set(ofKind(objects, 'ConfigMap').map((c) => c.metadata.name));
  const services = ofKind<Service>(objects, 'Service');
  const problems: string[] = [];
  for (const d of deployments) {
    const used = [...containersOf(d).flatMap((c) => (c.envFrom ?? []).map((r) => r.configMapRef?.name)), ...(d.spec.template.spec.volumes ?? []).map((v) => v.configMap?.name)];
    for (const name of used) if (name !== undefined && !configMaps.has(name)) problems.push(`${refOf(d)}: uses ConfigMap ${name}, which is not rendered`);
  }
  for (const s of services) {
    const pods = deployments.filter((d) => selects({ matchLabels: s.spec.selector ?? {} } satisfies LabelSelector, podLabels(d)));
    if (pods.length === 0) problems.push(`${refOf(s)}: selects no pod`);
    for (const p of s.spec.ports) for (const d of pods) if (!listensOn(d, p.targetPort ?? p.port)) problems.push(`${refOf(s)}: targets port ${p.targetPort ?? p.port}, which ${refOf(d)} does not listen on`);
  }
  for (const ing of ofKind<Ingress>(objects, 'Ingress')) {
    for (const { service } of (ing.spec.rules ?? []).flatMap((r) => r.http?.paths ?? []).map((p) => p.backend)) {
      const s = services.find((x) => x.metadata.name === service.name);
      if (!s?.spec.ports.some((p) => p.name === service.port.name || p.port === service.port.number)) problems.push(`${refOf(ing)}: backend ${service.name}:${service.port.name ?? service.port.number} is no Service port`);
    }
  }
  for (const hpa of ofKind<Hpa>(objects, 'HorizontalPodAutoscaler')) {
    const d = deployments.find((x) => x.metadata.name === hpa.spec.scaleTargetRef.name && hpa.spec.scaleTargetRef.kind === 'Deployment');
    if (!d) problems.push(`${refOf(hpa)}: scales ${hpa.spec.scaleTargetRef.kind}/${hpa.spec.scaleTargetRef.name}, which is not rendered`);
    else if (d.spec.replicas !== undefined) problems.push(`${refOf(d)}: sets replicas although ${refOf(hpa)} owns the count (Argo CD would undo every scaling)`);
  }
  return [...problems, ...waveProblems(objects)];
}

function waveProblems(objects: readonly K8sObject[]): string[] {
  const firstWorkload = Math.min(...ofKind(objects, 'Deployment').map(syncWave));
  return objects
    .filter((o) => (o.kind === 'ConfigMap' || o.kind === 'NetworkPolicy') && syncWave(o) >= firstWorkload)
    .map((o) => `${refOf(o)}: sync wave ${syncWave(o)} is not before the workloads' (${firstWorkload}); configuration must sync first`);
}
