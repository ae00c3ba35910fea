/**
 * The few fields of rendered objects the policies read, typed loosely (the schema check has
 * already said whether they are well formed) and the helpers to find them.
 */
import type { K8sObject } from './render.ts';

/** A container port, a probe, a container: only what the policies read. */
export interface ContainerPort { readonly name?: string; readonly containerPort: number }
export interface Probe { readonly httpGet?: { readonly path?: string; readonly port: number | string } }
export interface Container {
  readonly name: string;
  readonly ports?: readonly ContainerPort[];
  readonly env?: readonly { readonly name: string; readonly value?: string; readonly valueFrom?: unknown }[];
  readonly envFrom?: readonly { readonly configMapRef?: { readonly name: string }; readonly secretRef?: unknown }[];
  readonly resources?: { readonly requests?: Record<string, unknown>; readonly limits?: Record<string, unknown> };
  readonly securityContext?: SecurityContext;
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly startupProbe?: Probe;
}
export interface SecurityContext {
  readonly runAsNonRoot?: boolean;
  readonly runAsUser?: number;
  readonly allowPrivilegeEscalation?: boolean;
  readonly readOnlyRootFilesystem?: boolean;
  readonly privileged?: boolean;
  readonly capabilities?: { readonly drop?: readonly string[] };
  readonly seccompProfile?: { readonly type?: string };
}
export interface PodSpec {
  readonly containers: readonly Container[];
  readonly initContainers?: readonly Container[];
  readonly securityContext?: SecurityContext;
  readonly automountServiceAccountToken?: boolean;
  readonly volumes?: readonly { readonly name: string; readonly configMap?: { readonly name: string } }[];
}
export interface Deployment extends K8sObject {
  readonly spec: { readonly replicas?: number; readonly template: { readonly metadata?: { readonly labels?: Record<string, string> }; readonly spec: PodSpec } };
}
export interface LabelSelector { readonly matchLabels?: Record<string, string> }

/** The objects of one kind. */
export function ofKind<T extends K8sObject = K8sObject>(objects: readonly K8sObject[], kind: string): T[] {
  return objects.filter((o) => o.kind === kind) as T[];
}

/** Whether `selector` (matchLabels only: the blueprint uses no expressions) selects `labels`. */
export function selects(selector: LabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  return Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);
}

/** The pod labels of a Deployment. */
export function podLabels(d: Deployment): Record<string, string> {
  return d.spec.template.metadata?.labels ?? {};
}

/** Every container of a Deployment, init containers included. */
export function containersOf(d: Deployment): Container[] {
  return [...d.spec.template.spec.containers, ...(d.spec.template.spec.initContainers ?? [])];
}

/** Whether a container of `d` listens on `port` (a number, or a port name). */
export function listensOn(d: Deployment, port: number | string): boolean {
  return containersOf(d).some((c) => (c.ports ?? []).some((p) => p.containerPort === port || p.name === port));
}

/** The `argocd.argoproj.io/sync-wave` of an object, 0 when unset (Argo CD's default). */
export function syncWave(o: K8sObject): number {
  return Number(o.metadata.annotations?.['argocd.argoproj.io/sync-wave'] ?? 0);
}
