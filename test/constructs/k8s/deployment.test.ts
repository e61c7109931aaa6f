import { findObject, findObjects, synthesize } from 'cdk8s-dataops/testing';
import { describe, expect, it } from 'vitest';
import { Deployment, NetworkPeer, NetworkPort, Volume } from '../../../constructs/k8s';
import { Secrets } from '../../../constructs/secrets';
import { errorOf, newEnv } from '../support/fixtures';
import { validateAll } from '../support/schema';

const app = { name: 'app', image: 'ghcr.io/acme/enricher:1.4.2' };

describe('Deployment', () => {
  it('applies the secure defaults to the pod and every container', () => {
    const env = newEnv();
    new Deployment(env, 'Enricher', { containers: [app], initContainers: [{ name: 'init', image: 'busybox:1.36' }] });
    const objects = synthesize(env);
    validateAll(objects);
    const pod = findObject(objects, 'Deployment', 'enricher').spec.template.spec;
    expect(pod.securityContext).toEqual({ runAsNonRoot: true, fsGroupChangePolicy: 'OnRootMismatch', seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    for (const c of [...pod.containers, ...pod.initContainers]) {
      expect(c.securityContext).toEqual({
        runAsNonRoot: true, privileged: false, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] },
      });
      expect(c.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '256Mi' } });
      expect(c.imagePullPolicy).toBe('IfNotPresent');
      expect(c.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp', readOnly: false }]);
    }
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    // cdk8s-plus-27 would probe the first port on its own: we add no probe unless asked
    expect(pod.containers[0].startupProbe).toBeUndefined();
  });

  it('keeps names and labels stable: no cdk8s-plus address hash anywhere, explicit selector', () => {
    const env = newEnv();
    new Deployment(env, 'Enricher', { containers: [{ ...app, ports: [{ name: 'http', port: 8080 }] }] });
    const objects = synthesize(env);
    expect(JSON.stringify(objects)).not.toContain('cdk8s.io/metadata.addr');
    const d = findObject(objects, 'Deployment', 'enricher');
    expect(d.spec.selector).toEqual({ matchLabels: { 'app.kubernetes.io/name': 'enricher' } });
    expect(d.spec.template.metadata.labels).toEqual({ 'app.kubernetes.io/name': 'enricher' });
    // nothing else is created behind our back: no ServiceAccount, no Secret
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'NetworkPolicy']);
  });

  it('takes env from plain values, secret references and pod fields, in order', () => {
    const env = newEnv();
    const creds = Secrets.fromSecretName(env, 'KafkaUser', 'orders-enricher');
    new Deployment(env, 'Enricher', {
      containers: [{ ...app, env: { BOOTSTRAP: 'kafka:9093', PASSWORD: creds.envValue('password'), POD_NAME: { fieldPath: 'metadata.name' } } }],
    });
    expect(findObject(env, 'Deployment', 'enricher').spec.template.spec.containers[0].env).toEqual([
      { name: 'BOOTSTRAP', value: 'kafka:9093' },
      { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'orders-enricher', key: 'password' } } },
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
    ]);
    expect(findObjects(env, 'Secret')).toEqual([]);
  });

  it('supports the props a streaming app needs: replicas, ports, probes, volumes, pod metadata, strategy', () => {
    const env = newEnv('prod');
    const certs = Secrets.fromSecretName(env, 'Certs', 'kafka-ca', { keys: ['ca.crt'] });
    const d = new Deployment(env, 'Enricher', {
      replicas: 3,
      strategy: { maxSurge: 1, maxUnavailable: 0 },
      podLabels: { team: 'payments' },
      podAnnotations: { 'prometheus.io/scrape': 'true' },
      volumes: [Volume.secret('ca', certs, { items: { 'ca.crt': 'ca.crt' } }), Volume.emptyDir('state', { sizeLimit: '1Gi' })],
      securityContext: { user: 10001, group: 10001 },
      containers: [{
        ...app,
        command: ['java'], args: ['-jar', '/app.jar'],
        ports: [{ name: 'http', port: 8080 }],
        readinessProbe: { httpGet: { path: '/ready', port: 8080 }, periodSeconds: 5 },
        livenessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 10 },
        startupProbe: { exec: { command: ['cat', '/tmp/started'] }, failureThreshold: 30 },
        mounts: [{ volume: 'ca', path: '/etc/kafka/ca' }, { volume: 'state', path: '/var/lib/app' }],
        resources: { cpu: { request: '250m', limit: '2' }, memory: { request: '1Gi', limit: '1Gi' } },
      }],
    });
    d.expose([{ name: 'http', port: 80, targetPort: 8080 }]);
    const objects = synthesize(env);
    validateAll(objects);
    const dep = findObject(objects, 'Deployment', 'enricher');
    expect(dep.spec.replicas).toBe(3);
    expect(dep.spec.strategy).toEqual({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } });
    expect(dep.spec.template.metadata).toEqual({
      labels: { 'app.kubernetes.io/name': 'enricher', team: 'payments' }, annotations: { 'prometheus.io/scrape': 'true' },
    });
    const pod = dep.spec.template.spec;
    expect(pod.securityContext.runAsUser).toBe(10001);
    const c = pod.containers[0];
    expect(c.command).toEqual(['java']);
    expect(c.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
    expect(c.readinessProbe).toEqual({ httpGet: { path: '/ready', port: 8080, scheme: 'HTTP' }, periodSeconds: 5, failureThreshold: 3 });
    expect(c.livenessProbe).toMatchObject({ tcpSocket: { port: 8080 }, initialDelaySeconds: 10 });
    expect(c.startupProbe).toMatchObject({ exec: { command: ['cat', '/tmp/started'] }, failureThreshold: 30 });
    expect(c.resources).toEqual({ requests: { cpu: '250m', memory: '1024Mi' }, limits: { cpu: '2', memory: '1024Mi' } });
    expect(c.volumeMounts).toEqual([
      { name: 'ca', mountPath: '/etc/kafka/ca', readOnly: true },
      { name: 'state', mountPath: '/var/lib/app', readOnly: false },
      { name: 'tmp', mountPath: '/tmp', readOnly: false },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'ca', secret: { secretName: 'kafka-ca', defaultMode: 0o440, items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { name: 'state', emptyDir: { sizeLimit: '1024Mi' } },
      { name: 'tmp', emptyDir: {} },
    ]);
    expect(findObject(objects, 'Service', 'enricher').spec).toMatchObject({
      type: 'ClusterIP', selector: { 'app.kubernetes.io/name': 'enricher' }, ports: [{ name: 'http', port: 80, targetPort: 8080 }],
    });
  });

  it('runs 2 replicas in production and 1 elsewhere unless told', () => {
    const prod = newEnv('prod');
    const dev = newEnv('dev');
    expect(new Deployment(prod, 'A', { containers: [app] }).replicas).toBe(2);
    expect(new Deployment(dev, 'A', { containers: [app] }).replicas).toBe(1);
  });

  it('adds egress and ingress allowances to its NetworkPolicy', () => {
    const env = newEnv();
    const d = new Deployment(env, 'Enricher', { containers: [app], egress: [{ peer: NetworkPeer.namespace('kafka'), ports: [NetworkPort.tcp(9093)] }] });
    d.allowIngressFrom(NetworkPeer.namespace('monitoring'), [NetworkPort.tcp(9404)]);
    const np = findObject(env, 'NetworkPolicy', 'enricher');
    expect(np.spec.egress[1]).toEqual({
      to: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kafka' } }, podSelector: {} }],
      ports: [{ port: 9093, protocol: 'TCP' }],
    });
    expect(np.spec.ingress).toEqual([{
      from: [{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } }, podSelector: {} }],
      ports: [{ port: 9404, protocol: 'TCP' }],
    }]);
  });

  it('names the construct path and field of bad props', () => {
    const env = newEnv();
    expect(errorOf(() => new Deployment(env, 'A', { containers: [] })))
      .toBe("dev/A, field 'containers': at least one container is required");
    expect(errorOf(() => new Deployment(env, 'B', { containers: [{ ...app, resources: { memory: { limit: '1G' } } }] })))
      .toBe("dev/B, field 'containers[0].resources.memory.limit': use Mi or Gi, e.g. '512Mi' or '2Gi'");
    expect(errorOf(() => new Deployment(env, 'C', { containers: [{ ...app, resources: { cpu: { request: '2', limit: '500m' } } }] })))
      .toBe("dev/C, field 'containers[0].resources.cpu': request must not be greater than limit");
    expect(errorOf(() => new Deployment(env, 'D', { containers: [{ ...app, mounts: [{ volume: 'nope', path: '/x' }] }] })))
      .toBe("dev/D, field 'containers[0].mounts[0].volume': no volume named 'nope'; volumes: none");
    expect(errorOf(() => new Deployment(env, 'E', { containers: [app, app] })))
      .toBe("dev/E, field 'containers': two containers are named 'app'");
    expect(errorOf(() => new Deployment(env, 'F', { containers: [{ ...app, user: 0 }] })))
      .toBe("dev/F, field 'containers[0].user': must not be 0 (root)");
    expect(errorOf(() => new Deployment(env, 'G', { containers: [{ ...app, readinessProbe: { initialDelaySeconds: 1 } }] })))
      .toBe("dev/G, field 'containers[0].readinessProbe': set exactly one of httpGet, tcpSocket or exec");
    expect(errorOf(() => new Deployment(env, 'H', { containers: [{ ...app, env: { 'BAD NAME': 'x' } }] })))
      .toContain("dev/H, field 'containers[0].env.BAD NAME'");
    expect(errorOf(() => new Deployment(env, 'I', { containers: [app], replicas: -1 })))
      .toContain("dev/I, field 'replicas'");
  });
});
