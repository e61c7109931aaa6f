import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { z } from 'zod';
import { ValidationError } from '../../lib/errors';
import { objectName } from '../../lib/names';
import { instanceOf, propsSchema, validateProps } from '../../lib/validation';

const IPV4_CIDR = /^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\/([0-9]|[12][0-9]|3[0-2])$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+:[0-9a-fA-F:]*\/([0-9]|[1-9][0-9]|1[01][0-9]|12[0-8])$/;

/** Something that selects pods by labels in a namespace (a workload): usable as a {@link NetworkPeer}. */
export interface IPodSelector {
  /** Labels that select the pods. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /** Namespace of the pods (undefined: the namespace of the policy). */
  readonly namespace?: string;
}

type PeerSpec =
  | { readonly type: 'pods'; readonly labels: Readonly<Record<string, string>>; readonly namespace?: string }
  | { readonly type: 'namespace'; readonly namespace: string }
  | { readonly type: 'anyNamespace' }
  | { readonly type: 'cidr'; readonly cidr: string; readonly except?: readonly string[] };

/**
 * Who a workload may talk to (egress) or be reached from (ingress). Workloads deny everything by default,
 * except DNS; each allowance names its peer and ports.
 *
 * ```ts
 * app.allowEgressTo(NetworkPeer.namespace('kafka'), [NetworkPort.tcp(9093)]);
 * app.allowIngressFrom(NetworkPeer.namespace('ingress-nginx'), [NetworkPort.tcp(8080)]);
 * ```
 */
export class NetworkPeer {
  /** Pods with these labels, in `namespace` (default: the workload's own namespace). */
  public static pods(labels: Readonly<Record<string, string>>, options: { readonly namespace?: string } = {}): NetworkPeer {
    return new NetworkPeer({ type: 'pods', labels: { ...labels }, namespace: options.namespace });
  }

  /** The pods of a workload (same namespace unless the workload says otherwise). */
  public static workload(workload: IPodSelector): NetworkPeer {
    return NetworkPeer.pods(workload.selectorLabels, { namespace: workload.namespace });
  }

  /** Every pod of a namespace. */
  public static namespace(name: string): NetworkPeer {
    return new NetworkPeer({ type: 'namespace', namespace: name });
  }

  /** Every pod of every namespace of the cluster (not outside addresses). */
  public static anyNamespace(): NetworkPeer {
    return new NetworkPeer({ type: 'anyNamespace' });
  }

  /** An IPv4 or IPv6 CIDR block, optionally with exceptions (e.g. a managed database's subnet). */
  public static cidr(cidr: string, except: readonly string[] = []): NetworkPeer {
    return new NetworkPeer({ type: 'cidr', cidr, except: except.length > 0 ? [...except] : undefined });
  }

  /** Any IPv4 address (use sparingly, always with ports). */
  public static anyIpv4(): NetworkPeer {
    return NetworkPeer.cidr('0.0.0.0/0');
  }

  /** The cluster DNS: pods labelled `k8s-app: kube-dns` in `kube-system` (CoreDNS on most distributions). */
  public static kubeDns(): NetworkPeer {
    return NetworkPeer.pods({ 'k8s-app': 'kube-dns' }, { namespace: 'kube-system' });
  }

  private constructor(private readonly spec: PeerSpec) {}

  /** A readable description, e.g. `pods {app=x} in namespace kafka`. */
  public toString(): string {
    const s = this.spec;
    switch (s.type) {
      case 'pods': return `pods {${Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(',')}}${s.namespace ? ` in namespace ${s.namespace}` : ''}`;
      case 'namespace': return `namespace ${s.namespace}`;
      case 'anyNamespace': return 'any namespace';
      case 'cidr': return `cidr ${s.cidr}${s.except ? ` except ${s.except.join(',')}` : ''}`;
    }
  }

  /** Checks the peer; throws a ValidationError naming `scope` and `field`. */
  public validate(scope: Construct, field: string): void {
    const s = this.spec;
    if (s.type === 'cidr') {
      for (const c of [s.cidr, ...(s.except ?? [])]) {
        if (!IPV4_CIDR.test(c) && !IPV6_CIDR.test(c)) throw new ValidationError(scope, field, `'${c}' is not a CIDR block such as '10.0.0.0/16'`);
      }
    }
    if (s.type === 'pods' && Object.keys(s.labels).length === 0) {
      throw new ValidationError(scope, field, 'a pod peer needs at least one label (use NetworkPeer.namespace() for every pod of a namespace)');
    }
  }

  /** Builds the cdk8s-plus-27 peer under `scope` (used inside constructs/k8s only). */
  public toKplus(scope: Construct, id: string): kplus.INetworkPolicyPeer {
    const s = this.spec;
    switch (s.type) {
      case 'pods':
        return kplus.Pods.select(scope, id, {
          labels: { ...s.labels },
          namespaces: s.namespace ? kplus.Namespaces.select(scope, `${id}Namespace`, { names: [s.namespace] }) : undefined,
        });
      case 'namespace':
        return kplus.Pods.all(scope, id, { namespaces: kplus.Namespaces.select(scope, `${id}Namespace`, { names: [s.namespace] }) });
      case 'anyNamespace':
        return kplus.Namespaces.all(scope, id);
      case 'cidr':
        return s.cidr.includes(':')
          ? kplus.NetworkPolicyIpBlock.ipv6(scope, id, s.cidr, s.except ? [...s.except] : undefined)
          : kplus.NetworkPolicyIpBlock.ipv4(scope, id, s.cidr, s.except ? [...s.except] : undefined);
    }
  }
}

/** A port (or port range) of a network rule. */
export class NetworkPort {
  /** A TCP port. */
  public static tcp(port: number): NetworkPort { return new NetworkPort('TCP', port); }
  /** A UDP port. */
  public static udp(port: number): NetworkPort { return new NetworkPort('UDP', port); }
  /** A range of TCP ports (inclusive). */
  public static tcpRange(from: number, to: number): NetworkPort { return new NetworkPort('TCP', from, to); }

  private constructor(public readonly protocol: 'TCP' | 'UDP', public readonly port: number, public readonly endPort?: number) {}

  /** Checks the port; throws a ValidationError naming `scope` and `field`. */
  public validate(scope: Construct, field: string): void {
    for (const p of [this.port, this.endPort ?? this.port]) {
      if (!Number.isInteger(p) || p < 1 || p > 65535) throw new ValidationError(scope, field, `port ${p} is not between 1 and 65535`);
    }
    if (this.endPort !== undefined && this.endPort < this.port) throw new ValidationError(scope, field, `port range ${this.port}-${this.endPort} is reversed`);
  }

  /** Builds the cdk8s-plus-27 port (used inside constructs/k8s only). */
  public toKplus(): kplus.NetworkPolicyPort {
    if (this.endPort !== undefined) return kplus.NetworkPolicyPort.tcpRange(this.port, this.endPort);
    return this.protocol === 'UDP' ? kplus.NetworkPolicyPort.udp(this.port) : kplus.NetworkPolicyPort.tcp(this.port);
  }

  public toString(): string {
    return `${this.protocol}/${this.port}${this.endPort !== undefined ? `-${this.endPort}` : ''}`;
  }
}

/** One allowance: a peer and, optionally, ports. */
export interface NetworkRule {
  /** Who. */
  readonly peer: NetworkPeer;
  /**
   * Which ports (of the peer for egress, of the workload for ingress).
   * @default - every port
   */
  readonly ports?: readonly NetworkPort[];
}

/** zod check of a prop that holds a {@link NetworkPeer}: `is required (a NetworkPeer (...))` / `must be a NetworkPeer (...)`. */
export const networkPeerRef = instanceOf(NetworkPeer, 'NetworkPeer (NetworkPeer.namespace(), .pods(), .cidr(), ...)');

/** zod schema of a list of {@link NetworkRule}s: the one every construct with network props uses. */
export const networkRulesSchema = z.array(propsSchema<NetworkRule>()({
  peer: networkPeerRef,
  ports: z.array(instanceOf(NetworkPort, 'NetworkPort (NetworkPort.tcp(port), ...)')).optional(),
}));

/** Props of {@link NetworkPolicy}. */
export interface NetworkPolicyProps {
  /** Labels of the pods the policy applies to. */
  readonly selectorLabels: Readonly<Record<string, string>>;
  /**
   * Name of the NetworkPolicy.
   * @default - derived from the construct id
   */
  readonly name?: string;
  /**
   * Allow DNS lookups to this peer (UDP and TCP 53). `false` allows no DNS at all.
   * @default NetworkPeer.kubeDns()
   */
  readonly dns?: NetworkPeer | false;
  /**
   * Egress allowances besides DNS.
   * @default - none
   */
  readonly egress?: readonly NetworkRule[];
  /**
   * Ingress allowances.
   * @default - none
   */
  readonly ingress?: readonly NetworkRule[];
}

const networkPolicyPropsSchema = propsSchema<NetworkPolicyProps>()({
  selectorLabels: z.record(z.string(), z.string()),
  name: z.string().optional(),
  dns: z.union([networkPeerRef, z.literal(false)]).optional(),
  egress: networkRulesSchema.optional(),
  ingress: networkRulesSchema.optional(),
});

/**
 * A default-deny NetworkPolicy (`policyTypes: [Ingress, Egress]`) for a set of pods, with explicit allowances.
 * Every workload of this library has one; `workload.allowEgressTo()` / `allowIngressFrom()` add to it.
 */
export class NetworkPolicy extends Construct {
  /** Name of the NetworkPolicy object. */
  public readonly name: string;
  private readonly policy: kplus.NetworkPolicy;
  private peers = 0;

  constructor(scope: Construct, id: string, props: NetworkPolicyProps) {
    super(scope, id);
    validateProps(this, networkPolicyPropsSchema, props);
    this.name = objectName(this, props.name);
    this.policy = new kplus.NetworkPolicy(this, 'Resource', {
      metadata: { name: this.name },
      selector: kplus.Pods.select(this, 'Selector', { labels: { ...props.selectorLabels } }),
      egress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
      ingress: { default: kplus.NetworkPolicyTrafficDefault.DENY },
    });
    if (props.dns !== false) this.allowEgress(props.dns ?? NetworkPeer.kubeDns(), [NetworkPort.udp(53), NetworkPort.tcp(53)]);
    for (const r of props.egress ?? []) this.allowEgress(r.peer, r.ports);
    for (const r of props.ingress ?? []) this.allowIngress(r.peer, r.ports);
  }

  /** Allows traffic from the pods to `peer` (on `ports`, default all). */
  public allowEgress(peer: NetworkPeer, ports?: readonly NetworkPort[]): void {
    this.check(peer, ports, 'egress');
    this.policy.addEgressRule(peer.toKplus(this, `Peer${this.peers++}`), ports?.map((p) => p.toKplus()));
  }

  /** Allows traffic from `peer` to the pods (on `ports`, default all). */
  public allowIngress(peer: NetworkPeer, ports?: readonly NetworkPort[]): void {
    this.check(peer, ports, 'ingress');
    this.policy.addIngressRule(peer.toKplus(this, `Peer${this.peers++}`), ports?.map((p) => p.toKplus()));
  }

  private check(peer: NetworkPeer, ports: readonly NetworkPort[] | undefined, field: string): void {
    peer.validate(this, field);
    for (const p of ports ?? []) p.validate(this, field);
  }
}
