/**
 * Every rendered object against its schema: the Kubernetes kinds with kubernetes-models
 * (its JSON-schema validators for required fields, enums and formats, and known-fields.ts for
 * unknown fields), the Argo CD kinds with argocd-schemas.ts. A kind neither knows is a problem.
 */
import { argoCdProblems, isArgoCd } from './argocd-schemas.ts';
import { modelModule, unknownFieldProblems } from './known-fields.ts';
import { refOf, type K8sObject } from './render.ts';

interface ModelClass {
  new (data: unknown): { validate(): void };
}

async function modelOf(o: K8sObject): Promise<ModelClass | undefined> {
  try {
    const module = (await import(modelModule(o))) as Record<string, ModelClass | undefined>;
    return module[o.kind];
  } catch {
    return undefined;
  }
}

/** Every schema problem of `objects`, one line each, naming the object and the field. */
export async function schemaProblems(objects: readonly K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  const kubernetes: K8sObject[] = [];
  for (const o of objects) {
    if (isArgoCd(o)) {
      problems.push(...argoCdProblems(o));
      continue;
    }
    const Model = await modelOf(o);
    if (!Model) {
      problems.push(`${refOf(o)}: ${o.apiVersion} ${o.kind} is not a Kubernetes kind kubernetes-models knows`);
      continue;
    }
    kubernetes.push(o);
    try {
      new Model(o).validate();
    } catch (err) {
      problems.push(`${refOf(o)}: ${(err as Error).message}`);
    }
  }
  if (kubernetes.length > 0) problems.push(...unknownFieldProblems(kubernetes));
  return problems;
}
