import { findObject, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { Deployment, NetworkPeer, NetworkPolicy, NetworkPort } from '../../../constructs/k8s';
import { errorOf, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

const DNS_RULE = {
  to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } }, podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } } }],
  ports: [{ port: 53, protocol: 'UDP' }, { port: 53, protocol: 'TCP' }],
};

describe('NetworkPolicy', () => {
  it('denies all ingress and egress except DNS by default', () => {
    const env = newEnv();
    new NetworkPolicy(env, 'Lockdown', { selectorLabels: { app: 'x' } });
    const objects = synthesize(env);
    validateAll(objects);
    expect(findObject(objects, 'NetworkPolicy', 'lockdown').spec).toEqual({
      podSelector: { matchLabels: { app: 'x' } },
      policyTypes: ['Egress', 'Ingress'],
      egress: [DNS_RULE],
    });
  });

  it('translates every kind of peer', () => {
    const env = newEnv();
    const other = new Deployment(env, 'Other', { containers: [{ name: 'c', image: 'x:1' }] });
    new NetworkPolicy(env, 'P', {
      selectorLabels: { app: 'x' },
      dns: false,
      egress: [
        { peer: NetworkPeer.pods({ app: 'db' }), ports: [NetworkPort.tcp(5432)] },
        { peer: NetworkPeer.pods({ app: 'kafka' }, { namespace: 'kafka' }), ports: [NetworkPort.tcpRange(9092, 9094)] },
        { peer: NetworkPeer.cidr('10.20.0.0/16', ['10.20.5.0/24']), ports: [NetworkPort.tcp(443)] },
        { peer: NetworkPeer.cidr('fd00::/8') },
        { peer: other.asPeer(), ports: [NetworkPort.udp(8125)] },
      ],
      ingress: [{ peer: NetworkPeer.anyNamespace(), ports: [NetworkPort.tcp(8080)] }],
    });
    const objects = synthesize(env);
    validateAll(objects);
    const spec = findObject(objects, 'NetworkPolicy', 'p').spec;
    expect(spec.egress.map((r: any) => r.to)).toEqual([
      [{ podSelector: { matchLabels: { app: 'db' } } }],
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kafka' } }, podSelector: { matchLabels: { app: 'kafka' } } }],
      [{ ipBlock: { cidr: '10.20.0.0/16', except: ['10.20.5.0/24'] } }],
      [{ ipBlock: { cidr: 'fd00::/8' } }],
      [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'data' } }, podSelector: { matchLabels: { 'app.kubernetes.io/name': 'other' } } }],
    ]);
    expect(spec.egress[1].ports).toEqual([{ port: 9092, endPort: 9094, protocol: 'TCP' }]);
    expect(spec.egress[3].ports).toEqual([]);
    expect(spec.ingress).toEqual([{ from: [{ namespaceSelector: {}, podSelector: {} }], ports: [{ port: 8080, protocol: 'TCP' }] }]);
    expect(spec.egress).not.toContainEqual(DNS_RULE);
  });

  it('refuses bad peers and ports, naming the construct', () => {
    const env = newEnv();
    const p = new NetworkPolicy(env, 'P', { selectorLabels: { app: 'x' } });
    expect(errorOf(() => p.allowEgress(NetworkPeer.cidr('10.0.0.0/33'))))
      .toBe("dev/P, field 'egress': '10.0.0.0/33' is not a CIDR block such as '10.0.0.0/16'");
    expect(errorOf(() => p.allowIngress(NetworkPeer.pods({}), [NetworkPort.tcp(80)])))
      .toBe("dev/P, field 'ingress': a pod peer needs at least one label (use NetworkPeer.namespace() for every pod of a namespace)");
    expect(errorOf(() => p.allowEgress(NetworkPeer.anyIpv4(), [NetworkPort.tcp(70000)])))
      .toBe("dev/P, field 'egress': port 70000 is not between 1 and 65535");
  });

  it('is off when a workload says so, and then allowances fail loudly', () => {
    const env = newEnv();
    const d = new Deployment(env, 'Free', { containers: [{ name: 'c', image: 'x:1' }], networkPolicy: false });
    expect(synthesize(env).map((o) => o.kind)).toEqual(['Deployment']);
    expect(errorOf(() => d.allowEgressTo(NetworkPeer.anyIpv4())))
      .toBe("dev/Free, field 'networkPolicy': allowEgressTo() needs the workload's NetworkPolicy, but it was turned off (networkPolicy: false)");
  });

  it('describes peers and ports for messages', () => {
    expect(String(NetworkPeer.pods({ app: 'kafka' }, { namespace: 'kafka' }))).toBe('pods {app=kafka} in namespace kafka');
    expect(String(NetworkPeer.cidr('10.0.0.0/8'))).toBe('cidr 10.0.0.0/8');
    expect(String(NetworkPort.tcpRange(9092, 9094))).toBe('TCP/9092-9094');
  });
});
