/**
 * The Argo CD objects (argoproj.io) against the schemas kept in k8s/argocd/schemas/, whose
 * README names their source. Every object there is closed, so an unknown field is an error.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { refOf, type K8sObject } from './render.ts';

const SCHEMAS = resolve(import.meta.dirname, '..', 'argocd', 'schemas');
const KINDS = { AppProject: 'appproject.schema.json', ApplicationSet: 'applicationset.schema.json' } as const;

let compiled: Map<string, ValidateFunction> | undefined;

function validators(): Map<string, ValidateFunction> {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: true, strict: true });
  compiled = new Map(Object.entries(KINDS).map(([kind, file]) => [kind, ajv.compile(JSON.parse(readFileSync(resolve(SCHEMAS, file), 'utf8')) as object)]));
  return compiled;
}

/** True for the objects this module validates (and kubernetes-models does not know). */
export function isArgoCd(o: K8sObject): boolean {
  return o.apiVersion.startsWith('argoproj.io/');
}

/** One line per problem: `ApplicationSet/strangler spec.template.spec.syncPolicy.automated: unknown field "selfheal"`. */
export function argoCdProblems(o: K8sObject): string[] {
  const validate = validators().get(o.kind);
  if (!validate) return [`${refOf(o)}: no schema for ${o.apiVersion} ${o.kind} in k8s/argocd/schemas/ (add the kind there first)`];
  if (validate(o)) return [];
  return (validate.errors ?? []).map((e) => {
    const at = e.instancePath.replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replaceAll('/', '.') || '(object)';
    const what = e.keyword === 'additionalProperties' ? `unknown field "${String(e.params.additionalProperty)}"` : e.message ?? e.keyword;
    return `${refOf(o)} ${at}: ${what}`;
  });
}
