/**
 * k8s/ without a cluster: every overlay and the Argo CD folder render with `kubectl kustomize`
 * and pass the schema checks (Kubernetes and Argo CD, unknown fields rejected) and the
 * blueprint's policies (k8s/check/); every broken fixture is rejected with its message.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { standinConfigFromEnv } from '../../legacy-adapter/src/standin/config-from-env.ts';
import { hasUrlPassword } from '../check/secrets.ts';
import { KUBECTL_MISSING, renderKustomization, type K8sObject } from '../check/render.ts';

const ROOT = resolve(__dirname, '..', '..');
const K8S = join(ROOT, 'k8s');
const subfolders = (dir: string) => readdirSync(join(K8S, dir)).filter((f) => statSync(join(K8S, dir, f)).isDirectory()).sort();
const OVERLAYS = subfolders('overlays');
const FIXTURES = subfolders('test-fixtures/broken');

/** What each broken fixture must be rejected with: every problem it gets, and no other. */
const EXPECTED: Record<string, string[]> = {
  'argocd-unknown-field': ['ApplicationSet/strangler spec.template.spec.syncPolicy.automated: unknown field "selfheal"'],
  'config-after-workloads': ['sync wave 1 is not before the workloads\' (0); configuration must sync first'],
  'config-bad-value': ['Deployment/gateway: the configuration fails its schema: Invalid gateway configuration (1 problem): - upstreams.legacy.url (from LEGACY_URL): Invalid URL (expected http:// or https://)'],
  'configmap-unread-key': ['SENDING_CONCURENCY is read by none of the parts that use it (sending, sending-worker)'],
  'config-unknown-key': ['Deployment/gateway: the configuration fails its schema: Invalid gateway configuration (1 problem): - server.drainTimeout: Unknown key'],
  'env-unknown-variable': ['LEGACY_URLS is not a variable the gateway reads'],
  'hpa-bad-label': ['HorizontalPodAutoscaler/worker spec.metrics[1].external.metric.selector.matchLabels.stream: "strangler:tracking:hits" is not a valid label value'],
  'hpa-and-replicas': ['Deployment/gateway: sets replicas although HorizontalPodAutoscaler/gateway owns the count'],
  'missing-required': ['Service/tracking: data/spec/ports/0 must have required property port', 'Service/tracking spec.ports[0]: Property \'"port"\' is missing'],
  'netpol-service-port': ['NetworkPolicy/gateway-to-forms: opens port 8103 (egress to Deployment/forms), which no container of it listens on'],
  'netpol-unlistened-port': ['NetworkPolicy/tracking-from-gateway: opens port 8102 (ingress to Deployment/tracking), which no container of it listens on'],
  'no-limits': ['Deployment/gateway container gateway: no cpu limit', 'Deployment/gateway container gateway: no memory limit'],
  'no-pdb': ['Deployment/gateway: no PodDisruptionBudget selects its pods'],
  'no-probe': ['Deployment/tracking container tracking: no readinessProbe'],
  'placeholder-cidr': ['NetworkPolicy/egress-database: 192.0.2.1/32 is the base\'s placeholder; the overlay must set this CIDR'],
  'root-container': ['Deployment/tracking container tracking: runs as root'],
  'secret-in-env': ['Deployment/gateway container gateway: ADMIN_TOKEN has a literal value; take it from a Secret'],
  'secret-object': ['a Secret in the repository; reference one made outside git (secretKeyRef) instead'],
  'sending-worker-root': ['Deployment/sending-worker container sending-worker: runs as root', 'Deployment/sending-worker container sending-worker: no memory limit'],
  'service-config-bad-value': [
    'Deployment/forms: the configuration fails its schema (forms): Invalid forms configuration: - MAUTIC_COOKIE_SECURE: must be true or false, got "maybe"',
    'Deployment/tracking: the configuration fails its schema (tracking): Invalid tracking configuration: - MAUTIC_COOKIE_SECURE: must be true or false, got "maybe"',
    'Deployment/worker: the configuration fails its schema (worker): Invalid tracking configuration: - MAUTIC_COOKIE_SECURE: must be true or false, got "maybe"',
  ],
  'unknown-field': ['Deployment/gateway spec.template.spec.containers[0].imagePullPolicyy: unknown field "imagePullPolicyy" (not in IContainer)'],
  'worker-no-probe': ['Deployment/worker container worker: no livenessProbe'],
  'writable-root': ['Deployment/gateway container gateway: readOnlyRootFilesystem must be true'],
};

/** Parts whose `npm run serve` entry is still in another branch (k8s/README.md); empty once merged. */
const SERVE_ENTRY_ARRIVING: string[] = [];

let report: Record<string, string[]>;

beforeAll(() => {
  // One process for every folder: kubernetes-models is ESM-only and runs under Node itself.
  const folders = [...OVERLAYS.map((o) => `k8s/overlays/${o}`), 'k8s/argocd', ...FIXTURES.map((f) => `k8s/test-fixtures/broken/${f}`)];
  const run = spawnSync(process.execPath, ['k8s/check/check.ts', ...folders], { cwd: ROOT, encoding: 'utf8', timeout: 180_000 });
  if (run.status === 2 || run.stdout === '') throw new Error(`k8s/check/check.ts could not check the blueprint:\n${run.stderr}`);
  report = JSON.parse(run.stdout) as Record<string, string[]>;
}, 200_000);

describe('k8s/ blueprint', () => {
  it('has the two example customers and pre-production, and the fixtures this test expects', () => {
    expect(OVERLAYS).toEqual(expect.arrayContaining(['acme', 'globex', 'pre-production']));
    expect(FIXTURES).toEqual(Object.keys(EXPECTED).sort());
  });

  it('says plainly how to get kubectl when it is missing', () => {
    expect(() => renderKustomization(join(K8S, 'overlays', 'acme'), 'kubectl-that-is-not-installed')).toThrow(KUBECTL_MISSING);
  });

  it.each(OVERLAYS)('overlay %s passes the schemas and every policy', (overlay) => {
    expect(report[`k8s/overlays/${overlay}`]).toEqual([]);
  });

  it('the Argo CD objects pass their schemas', () => {
    expect(report['k8s/argocd']).toEqual([]);
  });

  it.each(FIXTURES)('broken fixture %s is rejected with its message', (fixture) => {
    const problems = report[`k8s/test-fixtures/broken/${fixture}`];
    expect(problems).toEqual((EXPECTED[fixture] ?? []).map((m) => expect.stringContaining(m)));
  });
});

describe('k8s/ overlays as Argo CD deploys them', () => {
  const rendered = new Map<string, K8sObject[]>();
  const objectsOf = (overlay: string) => rendered.get(overlay) ?? rendered.set(overlay, renderKustomization(join(K8S, 'overlays', overlay))).get(overlay)!;

  it.each(OVERLAYS)('%s lives in namespace strangler-<folder>, the one the ApplicationSet gives it', (overlay) => {
    const appset = readFileSync(join(K8S, 'argocd', 'applicationset.yaml'), 'utf8');
    expect(appset).toContain('namespace: "strangler-{{.path.basename}}"');
    for (const o of objectsOf(overlay)) expect([o.kind, o.metadata.namespace]).toEqual([o.kind, `strangler-${overlay}`]);
  });

  it.each(OVERLAYS)('%s gives the Mautic-like parts settings the stand-in accepts', (overlay) => {
    const cm = objectsOf(overlay).find((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('mautic-env-')) as K8sObject & { data: Record<string, string> };
    for (const key of Object.keys(cm.data)) expect(key).toMatch(/^MAUTIC_[A-Z0-9_]+$/);
    expect(standinConfigFromEnv(cm.data).siteUrl).toBe(cm.data.MAUTIC_SITE_URL);
    expect(cm.data.MAUTIC_SITE_URL).toMatch(/^https:\/\//);
  });

  it.each(OVERLAYS)('%s runs only parts the image has (npm run serve)', (overlay) => {
    const usage = spawnSync(process.execPath, ['scripts/serve.ts'], { cwd: ROOT, encoding: 'utf8' }).stderr;
    const parts = /usage: npm run serve -- <([^>]+)>/.exec(usage)?.[1]?.split('|') ?? [];
    const images = objectsOf(overlay).filter((o) => o.kind === 'Deployment').flatMap((d) => (d as unknown as { spec: { template: { spec: { containers: { image: string; args?: string[] }[] } } } }).spec.template.spec.containers);
    for (const c of images.filter((x) => x.image.includes('/strangler:'))) {
      const part = c.args?.[0] ?? '';
      expect([part, parts.includes(part) || SERVE_ENTRY_ARRIVING.includes(part)]).toEqual([part, true]);
    }
  });

  it.each(OVERLAYS)('%s runs every long-running part of the image, each in its own Deployment', (overlay) => {
    const usage = spawnSync(process.execPath, ['scripts/serve.ts'], { cwd: ROOT, encoding: 'utf8' }).stderr;
    const parts = /usage: npm run serve -- <([^>]+)>/.exec(usage)?.[1]?.split('|') ?? [];
    const deployed = objectsOf(overlay).filter((o) => o.kind === 'Deployment').map((d) => [d.metadata.name, (d as unknown as { spec: { template: { spec: { containers: { args?: string[] }[] } } } }).spec.template.spec.containers[0]?.args?.[0]]);
    for (const [name, part] of deployed) if (part !== undefined && parts.includes(part)) expect(name).toBe(part);
    // The seed is a one-shot job (npm run seed); the stand-in is pre-production's legacy upstream only.
    const expected = parts.filter((p) => p !== 'seed' && (p !== 'legacy-standin' || overlay === 'pre-production'));
    expect(deployed.map(([, part]) => part).filter((p) => p !== undefined && parts.includes(p)).sort()).toEqual(expected.sort());
  });

  it('lists as arriving only parts npm run serve does not have yet (take a merged one off SERVE_ENTRY_ARRIVING)', () => {
    const usage = spawnSync(process.execPath, ['scripts/serve.ts'], { cwd: ROOT, encoding: 'utf8' }).stderr;
    const parts = /usage: npm run serve -- <([^>]+)>/.exec(usage)?.[1]?.split('|') ?? [];
    for (const part of SERVE_ENTRY_ARRIVING) expect([part, parts.includes(part)]).toEqual([part, false]);
  });
});

describe('no secret value in k8s/', () => {
  const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? (f === 'test-fixtures' ? [] : files(join(dir, f))) : [join(dir, f)]));

  it('holds no Secret object, no secretGenerator and no URL with a password', () => {
    const found = files(K8S)
      .filter((f) => /\.(ya?ml|json)$/.test(f))
      .filter((f) => /^kind:\s*Secret\s*$|secretGenerator:/m.test(readFileSync(f, 'utf8')) || hasUrlPassword(readFileSync(f, 'utf8')))
      .map((f) => relative(ROOT, f));
    expect(found).toEqual([]);
  });
});
