/**
 * No secret value in the repository: no Secret object (they are made outside git, see
 * docs/operations.md), no secret-looking variable with a literal value, no URL with a password
 * in an environment value or a ConfigMap.
 */
import { refOf, type K8sObject } from './render.ts';
import { containersOf, ofKind, type Deployment } from './shapes.ts';

/** Variable names whose value is a credential. */
const SECRET_NAME = /(TOKEN|PASSWORD|PASSWD|SECRET|SECRET_KEY|PRIVATE_KEY|API_KEY|CREDENTIALS?)$|^(DATABASE|REDIS|SMTP)_URL$/;
/** `scheme://user:password@host`. */
const URL_WITH_PASSWORD = /[a-z][a-z0-9+.-]*:\/\/[^/\s:@]*:[^/\s@]+@/i;

/** Whether a text holds a URL with a password in it. */
export function hasUrlPassword(text: string): boolean {
  return URL_WITH_PASSWORD.test(text);
}

/** One line per problem. */
export function secretProblems(objects: readonly K8sObject[]): string[] {
  const problems = ofKind(objects, 'Secret').map((s) => `${refOf(s)}: a Secret in the repository; reference one made outside git (secretKeyRef) instead`);
  for (const d of ofKind<Deployment>(objects, 'Deployment')) {
    for (const c of containersOf(d)) {
      for (const e of c.env ?? []) {
        if (e.value === undefined) continue;
        if (SECRET_NAME.test(e.name)) problems.push(`${refOf(d)} container ${c.name}: ${e.name} has a literal value; take it from a Secret (valueFrom.secretKeyRef)`);
        else if (hasUrlPassword(e.value)) problems.push(`${refOf(d)} container ${c.name}: ${e.name} holds a URL with a password`);
      }
    }
  }
  for (const cm of ofKind<K8sObject & { data?: Record<string, string> }>(objects, 'ConfigMap')) {
    for (const [key, value] of Object.entries(cm.data ?? {})) {
      if (SECRET_NAME.test(key) || hasUrlPassword(value)) problems.push(`${refOf(cm)}: ${key} looks like a secret; put it in the Secret`);
    }
  }
  return problems;
}
