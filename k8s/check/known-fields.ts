/**
 * Unknown fields, which kubernetes-models' JSON-schema validators let through (its schemas
 * leave objects open): every object is written as a TypeScript object literal typed with its
 * kubernetes-models interface, and the compiler's excess-property check names each field the
 * Kubernetes API does not have, with its path. Wrong types are reported the same way.
 */
import { resolve } from 'node:path';
import ts from 'typescript';
import { refOf, type K8sObject } from './render.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');
// Inside the project, so that kubernetes-models resolves from its node_modules.
const VIRTUAL_FILE = resolve(ROOT, 'k8s', 'check', '__rendered-objects__.ts');

/** `apps/v1` + `Deployment` → `kubernetes-models/apps/v1/Deployment`; the core group is `v1`. */
export function modelModule(o: Pick<K8sObject, 'apiVersion' | 'kind'>): string {
  return `kubernetes-models/${o.apiVersion}/${o.kind}`;
}

/**
 * Problems of unknown fields and wrong types, one line each:
 * `Deployment/gateway spec.template.spec.containers[0].imagePullPolicyy: unknown field`.
 * Objects of groups kubernetes-models does not hold must be filtered out before.
 */
export function unknownFieldProblems(objects: readonly K8sObject[]): string[] {
  const starts: number[] = [];
  let text = '';
  objects.forEach((o, i) => (text += `import type { I${o.kind} as T${i} } from '${modelModule(o)}';\n`));
  objects.forEach((o, i) => {
    starts.push(text.length);
    text += `export const o${i}: T${i} = ${JSON.stringify(o, null, 1)};\n`;
  });
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, skipLibCheck: true, types: [],
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
  };
  const host = ts.createCompilerHost(options);
  const source = ts.createSourceFile(VIRTUAL_FILE, text, ts.ScriptTarget.ES2022, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (name, ...rest) => (resolve(name) === VIRTUAL_FILE ? source : getSourceFile(name, ...rest));
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (name) => resolve(name) === VIRTUAL_FILE || fileExists(name);
  const program = ts.createProgram([VIRTUAL_FILE], options, host);
  const diagnostics = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  return diagnostics.map((d) => {
    const at = d.start ?? 0;
    const index = starts.findLastIndex((s) => s <= at);
    const object = objects[index];
    const where = object ? `${refOf(object)} ${fieldPath(source, at)}` : '(imports)';
    return `${where}: ${describe(ts.flattenDiagnosticMessageText(d.messageText, ' '))}`;
  });
}

/** The compiler's words, said in the manifest's terms. */
function describe(message: string): string {
  const excess = /Object literal may only specify known properties, and '"?([^'"]+)"?' does not exist in type '([^']+)'/.exec(message);
  if (excess) return `unknown field "${excess[1]}" (not in ${excess[2]})`;
  return message;
}

/** `spec.template.spec.containers[0].name` for the property at `position`. */
function fieldPath(source: ts.SourceFile, position: number): string {
  const path: string[] = [];
  let node: ts.Node | undefined = deepestAt(source, position);
  while (node && !ts.isVariableDeclaration(node)) {
    const parent: ts.Node | undefined = node.parent;
    if (ts.isPropertyAssignment(node) && ts.isStringLiteral(node.name)) path.unshift(`.${node.name.text}`);
    else if (parent && ts.isArrayLiteralExpression(parent)) path.unshift(`[${parent.elements.indexOf(node as ts.Expression)}]`);
    node = parent;
  }
  return path.join('').replace(/^\./, '') || '(object)';
}

function deepestAt(node: ts.Node, position: number): ts.Node {
  const child = node.getChildren().find((c) => c.getStart() <= position && position < c.getEnd());
  return child ? deepestAt(child, position) : node;
}
