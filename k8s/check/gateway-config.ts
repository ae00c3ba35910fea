/**
 * The gateway's configuration as the gateway Deployment receives it: the file its
 * STRANGLER_CONFIG names (a key of a mounted ConfigMap) and the variables of its ConfigMaps,
 * loaded by the start-up code itself (gateway/src/config/load.ts), so a key the schema does not
 * know, or a bad value, is found here with the path start-up would print.
 */
import { posix } from 'node:path';
import { loadConfig } from '../../gateway/src/config/load.ts';
import { ENV_OVERRIDES } from '../../gateway/src/config/env-overrides.ts';
import { refOf, type K8sObject } from './render.ts';
import { ofKind, type Container, type Deployment } from './shapes.ts';

type ConfigMap = K8sObject & { readonly data?: Record<string, string> };

/** Variables a gateway container may get from a ConfigMap: those the configuration reads. */
const GATEWAY_VARIABLES = new Set(ENV_OVERRIDES.map((o) => o.name));

/** Problems of the gateway Deployment's configuration; none when the overlay has no gateway. */
export function gatewayConfigProblems(objects: readonly K8sObject[]): string[] {
  const gateway = ofKind<Deployment>(objects, 'Deployment').find((d) => d.metadata.name === 'gateway');
  const container = gateway?.spec.template.spec.containers.find((c) => c.name === 'gateway');
  if (!gateway || !container) return [];
  const configMaps = new Map(ofKind<ConfigMap>(objects, 'ConfigMap').map((cm) => [cm.metadata.name, cm]));
  const problems: string[] = [];
  const env: Record<string, string> = {};
  for (const ref of container.envFrom ?? []) {
    const cm = ref.configMapRef && configMaps.get(ref.configMapRef.name);
    if (!cm) continue;
    for (const [key, value] of Object.entries(cm.data ?? {})) {
      if (!GATEWAY_VARIABLES.has(key)) problems.push(`${refOf(cm)}: ${key} is not a variable the gateway reads (gateway/src/config/env-overrides.ts)`);
      env[key] = value;
    }
  }
  for (const e of container.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  const files = mountedFiles(gateway, container, configMaps);
  const path = env.STRANGLER_CONFIG;
  if (path === undefined) problems.push(`${refOf(gateway)}: STRANGLER_CONFIG is not set; the configuration file would not be read`);
  else if (!files.has(path)) problems.push(`${refOf(gateway)}: STRANGLER_CONFIG=${path} is no key of a mounted ConfigMap`);
  try {
    loadConfig(env, (p) => files.get(p) ?? (() => { throw new Error('not mounted'); })());
  } catch (err) {
    problems.push(`${refOf(gateway)}: the configuration fails its schema: ${(err as Error).message.replace(/\n\s*/g, ' ')}`);
  }
  return problems;
}

/** Every file a container sees from its ConfigMap volumes: path → content. */
function mountedFiles(d: Deployment, c: Container & { volumeMounts?: readonly { name: string; mountPath: string }[] }, configMaps: Map<string, ConfigMap>): Map<string, string> {
  const files = new Map<string, string>();
  for (const mount of c.volumeMounts ?? []) {
    const volume = d.spec.template.spec.volumes?.find((v) => v.name === mount.name);
    const cm = volume?.configMap && configMaps.get(volume.configMap.name);
    for (const [key, value] of Object.entries(cm?.data ?? {})) files.set(posix.join(mount.mountPath, key), value);
  }
  return files;
}
