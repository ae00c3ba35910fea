/**
 * NetworkPolicies: every port a rule opens to a pod of the namespace is a port that pod listens
 * on (ingress: the selected pods; egress: the peer pods), a pod peer selects at least one pod,
 * and no external CIDR is still the base's placeholder (192.0.2.0/24, TEST-NET-1).
 */
import { refOf, type K8sObject } from './render.ts';
import { listensOn, ofKind, podLabels, selects, type Deployment, type LabelSelector } from './shapes.ts';

interface Peer { readonly podSelector?: LabelSelector; readonly namespaceSelector?: LabelSelector; readonly ipBlock?: { readonly cidr: string } }
interface Rule { readonly ports?: readonly { readonly port?: number | string }[]; readonly from?: readonly Peer[]; readonly to?: readonly Peer[] }
interface NetworkPolicy extends K8sObject {
  readonly spec: { readonly podSelector: LabelSelector; readonly ingress?: readonly Rule[]; readonly egress?: readonly Rule[] };
}

/** The placeholder block of base/external-egress.yaml. */
const PLACEHOLDER = /^192\.0\.2\./;

/** One line per problem. */
export function networkPolicyProblems(objects: readonly K8sObject[]): string[] {
  const deployments = ofKind<Deployment>(objects, 'Deployment');
  const podsOf = (selector: LabelSelector) => deployments.filter((d) => selects(selector, podLabels(d)));
  return ofKind<NetworkPolicy>(objects, 'NetworkPolicy').flatMap((np) => {
    const problems: string[] = [];
    for (const rule of np.spec.ingress ?? []) problems.push(...portsListenedBy(np, rule, podsOf(np.spec.podSelector), 'ingress to'));
    for (const rule of np.spec.egress ?? []) {
      for (const peer of rule.to ?? []) {
        if (peer.ipBlock && PLACEHOLDER.test(peer.ipBlock.cidr)) problems.push(`${refOf(np)}: ${peer.ipBlock.cidr} is the base's placeholder; the overlay must set this CIDR`);
        if (peer.podSelector && !peer.namespaceSelector) {
          const peers = podsOf(peer.podSelector);
          if (peers.length === 0) problems.push(`${refOf(np)}: egress to ${JSON.stringify(peer.podSelector.matchLabels)} selects no pod`);
          problems.push(...portsListenedBy(np, rule, peers, 'egress to'));
        }
      }
    }
    return problems;
  });
}

function portsListenedBy(np: NetworkPolicy, rule: Rule, pods: readonly Deployment[], direction: string): string[] {
  const problems: string[] = [];
  for (const { port } of rule.ports ?? []) {
    if (port === undefined) problems.push(`${refOf(np)}: a rule opens every port; name the ports`);
    else for (const d of pods) if (!listensOn(d, port)) problems.push(`${refOf(np)}: opens port ${port} (${direction} ${refOf(d)}), which no container of it listens on`);
  }
  return problems;
}
