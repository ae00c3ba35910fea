/**
 * `node k8s/check/check.ts <kustomization folder>…`: renders each folder with
 * `kubectl kustomize` and prints, as JSON, `{ "<folder>": ["problem", …] }`: schema problems
 * (Kubernetes and Argo CD), then the blueprint's policies. Exits 0 when no folder has one,
 * 1 otherwise, 2 when a folder cannot be rendered (kubectl missing included).
 * npm test runs it on every overlay and on the broken fixtures (k8s/test/).
 */
import { gatewayConfigProblems } from './gateway-config.ts';
import { labelValueProblems } from './label-values.ts';
import { schemaProblems } from './kube-schemas.ts';
import { networkPolicyProblems } from './network-policies.ts';
import { podProblems } from './pod-policies.ts';
import { renderKustomization, type K8sObject } from './render.ts';
import { secretProblems } from './secrets.ts';
import { serviceConfigProblems } from './service-config.ts';
import { wiringProblems } from './wiring.ts';

/** The policies, each over every object of one rendered folder. */
const POLICIES: readonly ((objects: readonly K8sObject[]) => string[])[] = [podProblems, labelValueProblems, secretProblems, networkPolicyProblems, gatewayConfigProblems, serviceConfigProblems, wiringProblems];

/** Every problem of one rendered folder. */
export async function checkObjects(objects: readonly K8sObject[]): Promise<string[]> {
  return [...(await schemaProblems(objects)), ...POLICIES.flatMap((policy) => policy(objects))];
}

async function main(dirs: readonly string[]): Promise<number> {
  const rendered = new Map<string, K8sObject[]>();
  try {
    for (const dir of dirs) rendered.set(dir, renderKustomization(dir));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 2;
  }
  const report: Record<string, string[]> = {};
  for (const [dir, objects] of rendered) report[dir] = await checkObjects(objects);
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return Object.values(report).some((p) => p.length > 0) ? 1 : 0;
}

if (import.meta.filename === process.argv[1]) process.exitCode = await main(process.argv.slice(2));
