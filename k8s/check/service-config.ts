/**
 * The extracted services' and workers' configuration as their Deployments receive it: the
 * variables of their ConfigMaps and their literal `env`, read by each part's own start-up
 * reader (the one `npm run serve -- <part>` calls), so a bad value is found here with the
 * message start-up would print. And every key of a ConfigMap these parts use is read by at
 * least one of them: a key that changes nothing (a typo, a variable of another part) is an
 * error. A key counts as read when the reader refuses, or reads differently, a nonsense value
 * in it, which needs no second list of names beside the reader's own. The gateway has its
 * own check (gateway-config.ts); the stand-in's settings are checked in k8s/test/.
 */
import { formsConfigFromEnv } from '../../extracted-services/forms/src/config-from-env.ts';
import { sendingConfigFromEnv } from '../../extracted-services/sending/src/config-from-env.ts';
import { trackingConfigFromEnv } from '../../extracted-services/tracking/src/config-from-env.ts';
import { refOf, type K8sObject } from './render.ts';
import { ofKind, type Container, type Deployment } from './shapes.ts';

type Env = Record<string, string | undefined>;
type ConfigMap = K8sObject & { readonly data?: Record<string, string> };

/** Variables every service's main reads itself, beside its configuration reader (scripts/serve.ts). */
const SERVICE_MAIN = ['PORT', 'HOST', 'DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'STRANGLER_OUTBOX_DIR', 'LOG_LEVEL'];

/** Each part by its image entry (the container's first argument): its reader, and what its main reads besides. */
const PARTS: Record<string, { read: (env: Env) => unknown; main: readonly string[] }> = {
  tracking: { read: trackingConfigFromEnv, main: SERVICE_MAIN },
  worker: { read: trackingConfigFromEnv, main: [...SERVICE_MAIN, 'TRACKING_WORKER_NAME', 'WORKER_QUEUES'] },
  forms: { read: formsConfigFromEnv, main: SERVICE_MAIN },
  sending: { read: sendingConfigFromEnv, main: SERVICE_MAIN },
  'sending-worker': { read: sendingConfigFromEnv, main: [...SERVICE_MAIN, 'SENDING_QUEUE_PREFIX'] },
};

/** What no reader takes as an ordinary value of any variable. */
const NONSENSE = '\u0000not-a-value,\u0000';

interface User { readonly deployment: Deployment; readonly container: Container; readonly part: string }

/** One line per problem. */
export function serviceConfigProblems(objects: readonly K8sObject[]): string[] {
  const configMaps = new Map(ofKind<ConfigMap>(objects, 'ConfigMap').map((cm) => [cm.metadata.name, cm]));
  const users: User[] = ofKind<Deployment>(objects, 'Deployment').flatMap((deployment) =>
    deployment.spec.template.spec.containers
      .map((container) => ({ deployment, container, part: (container as Container & { args?: string[] }).args?.[0] ?? '' }))
      .filter((u) => u.part in PARTS));
  const problems: string[] = [];
  for (const { deployment, container, part } of users) {
    try {
      PARTS[part]!.read(envOf(container, configMaps));
    } catch (err) {
      problems.push(`${refOf(deployment)}: the configuration fails its schema (${part}): ${(err as Error).message.replace(/\n\s*/g, ' ')}`);
    }
  }
  for (const cm of configMaps.values()) {
    const readers = users.filter((u) => (u.container.envFrom ?? []).some((r) => r.configMapRef?.name === cm.metadata.name));
    if (readers.length === 0) continue;
    const parts = [...new Set(readers.map((u) => u.part))].sort();
    for (const key of Object.keys(cm.data ?? {})) {
      if (!readers.some((u) => reads(u.part, key))) problems.push(`${refOf(cm)}: ${key} is read by none of the parts that use it (${parts.join(', ')})`);
    }
  }
  return problems;
}

/** The variables a container gets from its ConfigMaps and literal env (secret references have no value here). */
function envOf(c: Container, configMaps: Map<string, ConfigMap>): Env {
  const env: Env = {};
  for (const ref of c.envFrom ?? []) Object.assign(env, (ref.configMapRef && configMaps.get(ref.configMapRef.name)?.data) ?? {});
  for (const e of c.env ?? []) if (e.value !== undefined) env[e.name] = e.value;
  return env;
}

/** Whether `part` reads `name`: its main does, or its reader refuses or changes with a nonsense value in it. */
function reads(part: string, name: string): boolean {
  const { read, main } = PARTS[part]!;
  if (main.includes(name)) return true;
  const plain = JSON.stringify(read({}));
  try {
    return JSON.stringify(read({ [name]: NONSENSE })) !== plain;
  } catch {
    return true;
  }
}
